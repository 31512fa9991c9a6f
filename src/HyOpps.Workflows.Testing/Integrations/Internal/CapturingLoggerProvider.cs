using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace HyOpps.Workflows.Testing.Integrations.Internal;

/// <summary>Captures every log record as text: the message, each structured state value, the exception and each scope's values.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _texts = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Texts => _texts.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void Append(System.Text.StringBuilder text, object? value)
    {
        if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, item) in pairs)
            {
                text.Append(' ').Append(key).Append('=').Append(Convert.ToString(item, CultureInfo.InvariantCulture));
            }
        }

        text.Append(' ').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder().Append(category).Append(' ').Append(formatter(state, exception));
            Append(text, state);
            text.Append(' ').Append(exception);
            owner._scopes.ForEachScope((scope, builder) => Append(builder, scope), text);
            owner._texts.Enqueue(text.ToString());
        }
    }
}
