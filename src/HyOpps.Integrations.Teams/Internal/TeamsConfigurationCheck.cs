using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Warns once at start-up when the Teams integration has no credentials at all.</summary>
internal sealed partial class TeamsConfigurationCheck(IOptions<TeamsOptions> options, ILogger<TeamsConfigurationCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var value = options.Value;
        if (!value.IsConfigured)
        {
            LogNotConfigured(logger, TeamsMessages.NotConfigured(value));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogNotConfigured(ILogger logger, string message);
}
