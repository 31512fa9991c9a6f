using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Warns once at start-up when Slack is not configured; malformed settings fail start-up through options validation instead.</summary>
internal sealed class SlackConfigurationCheck(IOptions<SlackOptions> options, ILogger<SlackConfigurationCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var value = options.Value;
        if (!value.IsConfigured)
        {
            SlackLog.NotConfigured(logger, value.NotConfiguredMessage);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
