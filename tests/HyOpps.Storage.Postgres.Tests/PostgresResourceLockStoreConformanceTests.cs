using HyOpps.Storage.Postgres.Internal;
using HyOpps.Workflows.Storage;
using HyOpps.Workflows.Testing;

namespace HyOpps.Storage.Postgres.Tests;

/// <summary>Two stores on one database, as two hosts would open it.</summary>
public sealed class PostgresResourceLockStoreConformanceTests(PostgresFixture postgres) : ResourceLockStoreConformanceTests
{
    protected override async Task<(IResourceLockStore A, IResourceLockStore B)> CreateStoresAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var a = PostgresStores.Create(connectionString);
        var b = PostgresStores.Create(connectionString);
        await a.InitializeAsync(Ct);
        await b.InitializeAsync(Ct);
        return (a, b);
    }

    protected override async ValueTask DisposeStoresAsync(IResourceLockStore a, IResourceLockStore b)
    {
        await ((PostgresWorkflowStore)a).DisposeAsync();
        await ((PostgresWorkflowStore)b).DisposeAsync();
    }
}
