using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>Warns once at start-up when SMTP is not configured, so the host still starts and the step fails clearly later.</summary>
internal sealed partial class EmailConfigurationCheck(IOptionsMonitor<EmailOptions> options, ILogger<EmailConfigurationCheck>? logger = null) : IHostedService
{
    private readonly ILogger _logger = logger ?? NullLogger<EmailConfigurationCheck>.Instance;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (!current.IsConfigured)
        {
            LogNotConfigured(_logger, EmailConfigurationKeys.NotConfiguredMessage(current.SectionPath));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Problem} Until then the share_documentation step fails.")]
    private static partial void LogNotConfigured(ILogger logger, string problem);
}
