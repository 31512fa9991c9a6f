using Xunit;

namespace HyOpps.TestUtilities.Postgres;

/// <summary>One throwaway PostgreSQL cluster for a test assembly (<c>[assembly: AssemblyFixture(typeof(PostgresFixture))]</c>); each test creates its own database in it.</summary>
/// <remarks>Without PostgreSQL installed the tests are skipped, saying how to install it; on CI (<c>CI=true</c>) they fail instead.</remarks>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresCluster? _cluster;
    private string? _unavailable;

    public PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException(_unavailable ?? "The cluster is not started.");

    public async ValueTask InitializeAsync()
    {
        if (PostgresCluster.FindBinaries() is null)
        {
            _unavailable = $"PostgreSQL is not installed; these tests need it: {PostgresCluster.InstallHint}.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(_unavailable + " CI must run them.");
            }

            return;
        }

        _cluster = await PostgresCluster.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Creates an empty database for one test, or skips the test when PostgreSQL is not installed.</summary>
    public Task<string> CreateDatabaseAsync()
    {
        if (_cluster is null)
        {
            Assert.Skip(_unavailable ?? "PostgreSQL is not available.");
        }

        return _cluster.CreateDatabaseAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
