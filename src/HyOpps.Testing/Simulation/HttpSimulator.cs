using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyOpps.Testing.Simulation;

/// <summary>The base of the HTTP simulators: a Kestrel server on 127.0.0.1 with an ephemeral port, fault injection and a request log.</summary>
/// <remarks>Derived simulators map their endpoints in <see cref="MapEndpoints"/> and guard their state with <see cref="SyncRoot"/>.</remarks>
public abstract class HttpSimulator : IAsyncDisposable
{
    private readonly ConcurrentQueue<SimulatedRequest> _requests = new();
    private WebApplication? _app;

    /// <summary>Gets the faults to inject into the next matching requests.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Gets the base address, for example <c>http://127.0.0.1:41234/</c>; set once started.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the requests received so far, in arrival order.</summary>
    public IReadOnlyCollection<SimulatedRequest> Requests => _requests.ToArray();

    /// <summary>Gets the lock that guards the simulator's state.</summary>
    protected Lock SyncRoot { get; } = new();

    /// <summary>Starts the server on 127.0.0.1 with a port chosen by the operating system.</summary>
    /// <param name="cancellationToken">The token to cancel start-up.</param>
    /// <returns>A task that completes once the server listens.</returns>
    /// <exception cref="InvalidOperationException">The simulator was started already.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The simulator is started already.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            _requests.Enqueue(new SimulatedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString));
            if (await Faults.TryApplyAsync(context).ConfigureAwait(false))
            {
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        MapEndpoints(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
    }

    /// <summary>Answers the next requests to an endpoint with an error status, in the service's own error format.</summary>
    /// <param name="endpoint">The endpoint: a path prefix such as <c>/rest/api/3/user/search</c>, or a Slack method name such as <c>users.lookupByEmail</c>.</param>
    /// <param name="statusCode">The HTTP status code, for example 500 or 503.</param>
    /// <param name="times">How many requests fail. The default value is 1.</param>
    /// <param name="method">Only requests with this HTTP method, or any when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is less than 1.</exception>
    public void InjectError(string endpoint, int statusCode, int times = 1, string? method = null)
        => Faults.Add(CreateErrorFault(statusCode), times, method, EndpointPath(endpoint));

    /// <summary>Answers the next requests to an endpoint with 429 and a <c>Retry-After</c> header, in the service's own format.</summary>
    /// <param name="endpoint">The endpoint, as for <see cref="InjectError"/>.</param>
    /// <param name="retryAfter">The delay the client is asked to wait, sent in whole seconds (rounded up).</param>
    /// <param name="times">How many requests are rate limited. The default value is 1.</param>
    /// <param name="method">Only requests with this HTTP method, or any when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is less than 1 or <paramref name="retryAfter"/> is negative.</exception>
    public void InjectRateLimit(string endpoint, TimeSpan retryAfter, int times = 1, string? method = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        Faults.Add(CreateRateLimitFault(retryAfter), times, method, EndpointPath(endpoint));
    }

    /// <summary>Delays the next requests to an endpoint by <paramref name="latency"/>, then answers them as usual.</summary>
    /// <param name="endpoint">The endpoint, as for <see cref="InjectError"/>.</param>
    /// <param name="latency">The added latency.</param>
    /// <param name="times">How many requests are delayed. The default value is 1.</param>
    /// <param name="method">Only requests with this HTTP method, or any when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is less than 1 or <paramref name="latency"/> is negative.</exception>
    public void InjectLatency(string endpoint, TimeSpan latency, int times = 1, string? method = null)
        => Faults.Add(SimulatedFault.Latency(latency), times, method, EndpointPath(endpoint));

    /// <summary>Never answers the next requests to an endpoint, until the client gives up or the simulator stops.</summary>
    /// <param name="endpoint">The endpoint, as for <see cref="InjectError"/>.</param>
    /// <param name="times">How many requests hang. The default value is 1.</param>
    /// <param name="method">Only requests with this HTTP method, or any when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is less than 1.</exception>
    public void InjectHang(string endpoint, int times = 1, string? method = null)
        => Faults.Add(SimulatedFault.Hang(), times, method, EndpointPath(endpoint));

    /// <summary>Maps an endpoint as callers name it to the request path prefix it matches.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <returns>The path prefix; by default <paramref name="endpoint"/> itself.</returns>
    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is empty.</exception>
    protected virtual string EndpointPath(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return endpoint;
    }

    /// <summary>Creates the fault of an error status in the service's error format.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The fault; by default the bare status.</returns>
    protected virtual SimulatedFault CreateErrorFault(int statusCode) => SimulatedFault.Status(statusCode);

    /// <summary>Creates the fault of a rate limit in the service's format.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> delay.</param>
    /// <returns>The fault; by default a bare 429 with <c>Retry-After</c>.</returns>
    protected virtual SimulatedFault CreateRateLimitFault(TimeSpan retryAfter) => SimulatedFault.TooManyRequests(retryAfter);

    /// <summary>Maps the simulated service's endpoints.</summary>
    /// <param name="app">The application to map onto.</param>
    protected abstract void MapEndpoints(WebApplication app);

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes once the server stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            Faults.ReleaseHangs();
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
