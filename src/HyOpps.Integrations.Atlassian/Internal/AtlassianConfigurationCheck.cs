using HyOpps.Integrations.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>Warns once at start-up and reports Degraded health while Atlassian is not configured, naming the settings to add.</summary>
internal sealed class AtlassianConfigurationCheck(IOptionsMonitor<AtlassianOptions> options, ILogger<AtlassianConfigurationCheck> logger)
    : IntegrationConfigurationCheck<AtlassianOptions>(options, logger)
{
    public override string Name => "Atlassian";

    protected override IReadOnlyList<string> StepIds => [AddUserToAtlassianGroupStep.Id, RemoveUserFromAtlassianGroupStep.Id];

    protected override bool IsConfigured(AtlassianOptions options) => options.IsConfigured;

    protected override IReadOnlyList<string> GetRequiredSettings(AtlassianOptions options)
        => [options.Key(nameof(AtlassianOptions.SiteUrl)), options.Key(nameof(AtlassianOptions.Email)), options.Key(nameof(AtlassianOptions.ApiToken))];

    protected override string NotConfiguredMessage(AtlassianOptions options) => options.NotConfiguredMessage;
}
