using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyOpps.Workflows.Internal;

/// <summary>
/// The <see cref="ILogger{TCategoryName}"/> registered when the app has no logging yet: it writes to the app's
/// <see cref="ILoggerFactory"/> if one is registered later (AddLogging keeps an existing ILogger&lt;T&gt;), else nowhere.
/// This keeps the concrete Microsoft.Extensions.Logging out of this package's dependencies.
/// </summary>
internal sealed class FallbackLogger<T>(IServiceProvider services) : ILogger<T>
{
    private readonly ILogger _logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<T>();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => _logger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _logger.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _logger.Log(logLevel, eventId, state, exception, formatter);
}
