namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Holds the Metabase session token for the process: Metabase throttles logins, so one token is reused until it is rejected.</summary>
internal sealed class MetabaseSessionCache : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;

    /// <summary>Gets the cached token, or logs in once (concurrent callers wait for the same login).</summary>
    /// <param name="login">Logs in and returns the token, or <see langword="null"/> with the failed response.</param>
    /// <param name="cancellationToken">The token to cancel waiting.</param>
    /// <returns>The token, or the failed login response.</returns>
    public async Task<(string? Token, HttpResponseMessage? Failure)> GetAsync(
        Func<CancellationToken, Task<(string? Token, HttpResponseMessage? Failure)>> login, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _token) is { } cached)
        {
            return (cached, null);
        }

        return await LoginOnceAsync(null, login, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces a rejected token: logs in again unless another caller already replaced it.</summary>
    /// <param name="rejected">The token Metabase answered 401 to.</param>
    /// <param name="login">Logs in.</param>
    /// <param name="cancellationToken">The token to cancel waiting.</param>
    /// <returns>The new token, or the failed login response.</returns>
    public Task<(string? Token, HttpResponseMessage? Failure)> RenewAsync(
        string rejected, Func<CancellationToken, Task<(string? Token, HttpResponseMessage? Failure)>> login, CancellationToken cancellationToken)
        => LoginOnceAsync(rejected, login, cancellationToken);

    /// <summary>Forgets the token.</summary>
    public void Clear() => Volatile.Write(ref _token, null);

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task<(string? Token, HttpResponseMessage? Failure)> LoginOnceAsync(
        string? rejected, Func<CancellationToken, Task<(string? Token, HttpResponseMessage? Failure)>> login, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = Volatile.Read(ref _token);
            if (current is not null && !string.Equals(current, rejected, StringComparison.Ordinal))
            {
                return (current, null);
            }

            Volatile.Write(ref _token, null);
            var result = await login(cancellationToken).ConfigureAwait(false);
            if (result.Token is not null)
            {
                Volatile.Write(ref _token, result.Token);
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
