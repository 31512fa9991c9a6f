using HyOpps.Integrations.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>Warns once at start-up and reports Degraded health while SMTP is not configured, so the host still starts and the step fails clearly later.</summary>
internal sealed class EmailConfigurationCheck(IOptionsMonitor<EmailOptions> options, ILogger<EmailConfigurationCheck> logger)
    : IntegrationConfigurationCheck<EmailOptions>(options, logger)
{
    public override string Name => "Email";

    protected override IReadOnlyList<string> StepIds => [ShareDocumentationStep.Id];

    protected override bool IsConfigured(EmailOptions options) => options.IsConfigured;

    protected override IReadOnlyList<string> GetRequiredSettings(EmailOptions options)
        => [$"{options.SectionPath}:{nameof(EmailOptions.Host)}", $"{options.SectionPath}:{nameof(EmailOptions.From)}"];

    protected override string NotConfiguredMessage(EmailOptions options) => EmailConfigurationKeys.NotConfiguredMessage(options.SectionPath);
}
