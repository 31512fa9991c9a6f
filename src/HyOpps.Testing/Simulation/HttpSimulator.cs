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
