using Microsoft.Extensions.Logging;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>Listens on the store's channel on a connection of its own, reconnecting after any failure.</summary>
/// <remarks>
/// A notification sent while the connection was down is lost, so after every (re)connection the listener calls back
/// once: the worker then claims whatever became runnable meanwhile. The worker's poll covers the time it takes to notice
/// a dead connection (TCP keepalive and Npgsql's keepalive query every few seconds).
/// </remarks>
internal sealed partial class PostgresNotificationListener : IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private PostgresNotificationListener()
    {
    }

    /// <summary>Gets how many times the listener connected, for tests.</summary>
    public int Connections { get; private set; }

    public static PostgresNotificationListener Start(string connectionString, string channel, string ownPayload, Action onWork, TimeProvider time, ILogger logger)
    {
        var listener = new PostgresNotificationListener();
        listener._loop = Task.Run(() => listener.RunAsync(connectionString, channel, ownPayload, onWork, time, logger));
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync(string connectionString, string channel, string ownPayload, Action onWork, TimeProvider time, ILogger logger)
    {
        var stop = _stop.Token;
        var backoff = MinBackoff;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    // This host's own announcements already woke its worker in process.
                    if (e.Payload != ownPayload)
                    {
                        onWork();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                Connections++;
                if (Connections > 1)
                {
                    LogReconnected(logger, channel);
                }

                backoff = MinBackoff;
                onWork();
                while (true)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(logger, ex, channel, backoff);
                await Task.Delay(backoff, time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for HyOpps work on channel {Channel} failed; reconnecting in {Backoff}. Workers poll meanwhile.")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, string channel, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for HyOpps work on channel {Channel} again.")]
    private static partial void LogReconnected(ILogger logger, string channel);
}
