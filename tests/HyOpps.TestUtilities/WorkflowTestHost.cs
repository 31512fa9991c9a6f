using Xunit;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.TestUtilities;

/// <summary>A started host with HyOpps on its own SQLite file, the fake log collector and an optional fake clock.</summary>
public sealed class WorkflowTestHost : IAsyncDisposable
{
    private readonly TestDatabase? _ownedDatabase;

    private WorkflowTestHost(IHost host, TestDatabase? ownedDatabase, string connectionString)
    {
        Host = host;
        _ownedDatabase = ownedDatabase;
        ConnectionString = connectionString;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public IWorkflowClient Client => Host.Services.GetRequiredService<IWorkflowClient>();

    public FakeLogCollector Logs => Host.Services.GetRequiredService<FakeLogCollector>();

    public string ConnectionString { get; }

    public static async Task<WorkflowTestHost> StartAsync(
        Action<IHyOppsBuilder> configure,
        Action<HyOppsOptions>? options = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null,
        string? connectionString = null)
    {
        var host = Build(configure, options, time, services, connectionString, out var database, out var cs);
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            database?.Dispose();
            throw;
        }

        return new WorkflowTestHost(host, database, cs);
    }

    public static IHost Build(
        Action<IHyOppsBuilder> configure,
        Action<HyOppsOptions>? options,
        TimeProvider? time,
        Action<IServiceCollection>? services,
        string? connectionString,
        out TestDatabase? ownedDatabase,
        out string effectiveConnectionString)
    {
        ownedDatabase = connectionString is null ? new TestDatabase() : null;
        effectiveConnectionString = connectionString ?? ownedDatabase!.ConnectionString;
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddFakeLogging();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        services?.Invoke(builder.Services);
        var hyopps = builder.Services.AddHyOpps(o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(200);
            o.DefaultRetryPolicy = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.Zero, UseJitter = false };
            options?.Invoke(o);
        }).UseSqlite(effectiveConnectionString);
        configure(hyopps);
        return builder.Build();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync(CancellationToken.None);
        }
        finally
        {
            Host.Dispose();
            _ownedDatabase?.Dispose();
        }
    }
}
