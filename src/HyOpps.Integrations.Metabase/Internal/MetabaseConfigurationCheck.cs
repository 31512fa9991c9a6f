using HyOpps.Integrations.Shared;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Warns once at start-up and reports Degraded health while Metabase is not configured, naming the settings to add.</summary>
internal sealed class MetabaseConfigurationCheck(IOptionsMonitor<MetabaseOptions> options, ILogger<MetabaseConfigurationCheck> logger)
    : IntegrationConfigurationCheck<MetabaseOptions>(options, logger)
{
    public override string Name => "Metabase";

    protected override IReadOnlyList<string> StepIds => [CreateMetabaseAccountStep.Id, AddUserToMetabaseGroupStep.Id, RemoveUserFromMetabaseGroupStep.Id, DeactivateMetabaseAccountStep.Id];

    protected override bool IsConfigured(MetabaseOptions options) => options.IsConfigured;

    protected override IReadOnlyList<string> GetRequiredSettings(MetabaseOptions options)
        => [$"{options.SectionPath}:BaseUrl", $"{options.SectionPath}:ApiKey"];

    protected override string NotConfiguredMessage(MetabaseOptions options) => options.NotConfiguredMessage;
}
