using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Warns once at start-up when Metabase is not configured, naming the settings to add.</summary>
internal sealed partial class MetabaseConfigurationCheck(IOptionsMonitor<MetabaseOptions> options, ILogger<MetabaseConfigurationCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (!settings.IsConfigured)
        {
            LogNotConfigured(logger, settings.NotConfiguredMessage);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message} The Metabase steps fail until then.")]
    private static partial void LogNotConfigured(ILogger logger, string message);
}
