using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>Logs once at start-up when Atlassian is not configured, naming the settings to add.</summary>
internal sealed partial class AtlassianConfigurationCheck(IOptionsMonitor<AtlassianOptions> options, ILogger<AtlassianConfigurationCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (!current.IsConfigured)
        {
            LogNotConfigured(logger, current.NotConfiguredMessage);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "{Message} The Atlassian steps fail until then.")]
    private static partial void LogNotConfigured(ILogger logger, string message);
}
