using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Shared;

/// <summary>
/// The start-up check and health report of an integration: an unconfigured integration logs one warning naming the settings
/// to add and reports those keys to <c>AddHyOppsHealthChecks()</c> (Degraded, never Unhealthy); the host still starts.
/// </summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
internal abstract partial class IntegrationConfigurationCheck<TOptions>(IOptionsMonitor<TOptions> options, ILogger logger)
    : IHostedService, IHyOppsIntegrationCheck
    where TOptions : class
{
    public abstract string Name { get; }

    public IReadOnlyList<string> GetMissingSettings()
        => options.CurrentValue is var current && IsConfigured(current) ? [] : GetRequiredSettings(current);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (!IsConfigured(current))
        {
            LogNotConfigured(logger, NotConfiguredMessage(current), string.Join(", ", StepIds));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Gets the ids of the steps that fail while the integration is not configured.</summary>
    protected abstract IReadOnlyList<string> StepIds { get; }

    /// <summary>Gets whether any setting that connects to the service is given.</summary>
    protected abstract bool IsConfigured(TOptions options);

    /// <summary>Gets the keys to set, by full path, for the integration to work.</summary>
    protected abstract IReadOnlyList<string> GetRequiredSettings(TOptions options);

    /// <summary>Gets the message the steps fail with while the integration is not configured.</summary>
    protected abstract string NotConfiguredMessage(TOptions options);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Message} Until then these steps fail: {StepIds}.")]
    private static partial void LogNotConfigured(ILogger logger, string message, string stepIds);
}

/// <summary>Registers an integration's configuration check once, as both its start-up warning and its health report.</summary>
internal static class IntegrationConfigurationChecks
{
    public static void Add<TCheck>(IServiceCollection services)
        where TCheck : class, IHostedService, IHyOppsIntegrationCheck
    {
        services.TryAddSingleton<TCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TCheck>(static sp => sp.GetRequiredService<TCheck>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHyOppsIntegrationCheck, TCheck>(static sp => sp.GetRequiredService<TCheck>()));
    }
}
