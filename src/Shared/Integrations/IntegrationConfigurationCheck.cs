using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Shared;

/// <summary>What an integration's configuration check needs to know: its name, its steps, and how its options say what is missing.</summary>
/// <param name="Name">The integration's name in the health report, for example <c>Slack</c>.</param>
/// <param name="StepIds">The ids of the steps that fail while the integration is not configured.</param>
/// <param name="IsConfigured">Whether any setting that connects to the service is given.</param>
/// <param name="RequiredSettings">The keys to set, by full path, for the integration to work.</param>
/// <param name="NotConfiguredMessage">The message the steps fail with while the integration is not configured.</param>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
internal sealed record IntegrationCheck<TOptions>(
    string Name,
    IReadOnlyList<string> StepIds,
    Func<TOptions, bool> IsConfigured,
    Func<TOptions, IReadOnlyList<string>> RequiredSettings,
    Func<TOptions, string> NotConfiguredMessage)
    where TOptions : class;

/// <summary>
/// The start-up check and health report of an integration: an unconfigured integration logs one warning naming the settings
/// to add and reports those keys to <c>AddHyOppsHealthChecks()</c> (Degraded, never Unhealthy); the host still starts.
/// </summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
internal sealed partial class IntegrationConfigurationCheck<TOptions>(IntegrationCheck<TOptions> check, IOptionsMonitor<TOptions> options, ILogger logger)
    : IHostedService, IHyOppsIntegrationCheck
    where TOptions : class
{
    public string Name => check.Name;

    public IReadOnlyList<string> GetMissingSettings()
        => options.CurrentValue is var current && check.IsConfigured(current) ? [] : check.RequiredSettings(current);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (!check.IsConfigured(current))
        {
            LogNotConfigured(logger, check.NotConfiguredMessage(current), string.Join(", ", check.StepIds));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Message} Until then these steps fail: {StepIds}.")]
    private static partial void LogNotConfigured(ILogger logger, string message, string stepIds);
}

/// <summary>Registers an integration's configuration check once, as both its start-up warning and its health report.</summary>
internal static class IntegrationConfigurationChecks
{
    public static void Add<TOptions>(IServiceCollection services, IntegrationCheck<TOptions> check)
        where TOptions : class
    {
        services.TryAddSingleton(sp => new IntegrationConfigurationCheck<TOptions>(
            check,
            sp.GetRequiredService<IOptionsMonitor<TOptions>>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger($"HyOpps.Integrations.{check.Name}.ConfigurationCheck")));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IntegrationConfigurationCheck<TOptions>>(
            static sp => sp.GetRequiredService<IntegrationConfigurationCheck<TOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHyOppsIntegrationCheck, IntegrationConfigurationCheck<TOptions>>(
            static sp => sp.GetRequiredService<IntegrationConfigurationCheck<TOptions>>()));
    }
}
