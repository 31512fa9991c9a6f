using HyOpps.Integrations.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Warns once at start-up and reports Degraded health while the Teams integration has no credentials at all.</summary>
internal sealed class TeamsConfigurationCheck(IOptionsMonitor<TeamsOptions> options, ILogger<TeamsConfigurationCheck> logger)
    : IntegrationConfigurationCheck<TeamsOptions>(options, logger)
{
    public override string Name => "Teams";

    protected override IReadOnlyList<string> StepIds => [InviteToTeamsStep.Id, AddUserToTeamsChannelStep.Id, RemoveUserFromTeamsStep.Id];

    protected override bool IsConfigured(TeamsOptions options) => options.IsConfigured;

    protected override IReadOnlyList<string> GetRequiredSettings(TeamsOptions options)
        => [options.Key(nameof(TeamsOptions.TenantId)), options.Key(nameof(TeamsOptions.ClientId)), options.Key(nameof(TeamsOptions.ClientSecret))];

    protected override string NotConfiguredMessage(TeamsOptions options) => TeamsMessages.NotConfigured(options);
}
