using HyOpps.Integrations.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Warns once at start-up and reports Degraded health while Slack is not configured; malformed settings fail start-up through options validation instead.</summary>
internal sealed class SlackConfigurationCheck(IOptionsMonitor<SlackOptions> options, ILogger<SlackConfigurationCheck> logger)
    : IntegrationConfigurationCheck<SlackOptions>(options, logger)
{
    public override string Name => "Slack";

    protected override IReadOnlyList<string> StepIds => [AddUserToSlackGroupStep.Id, RemoveUserFromSlackGroupStep.Id];

    protected override bool IsConfigured(SlackOptions options) => options.IsConfigured;

    protected override IReadOnlyList<string> GetRequiredSettings(SlackOptions options) => [options.Key(nameof(SlackOptions.BotToken))];

    protected override string NotConfiguredMessage(SlackOptions options) => options.NotConfiguredMessage;
}
