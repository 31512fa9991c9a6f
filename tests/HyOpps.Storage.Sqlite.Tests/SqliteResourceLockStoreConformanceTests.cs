using HyOpps.Storage.Sqlite.Internal;
using HyOpps.TestUtilities;
using HyOpps.Workflows.Storage;
using HyOpps.Workflows.Testing;

namespace HyOpps.Storage.Sqlite.Tests;

/// <summary>Two stores on one file, as two host processes would open it.</summary>
public sealed class SqliteResourceLockStoreConformanceTests : ResourceLockStoreConformanceTests
{
    private readonly TestDatabase _database = new();

    protected override async Task<(IResourceLockStore A, IResourceLockStore B)> CreateStoresAsync()
    {
        var a = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = _database.ConnectionString });
        var b = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = _database.ConnectionString });
        await a.InitializeAsync(Ct);
        await b.InitializeAsync(Ct);
        return (a, b);
    }

    protected override async ValueTask DisposeStoresAsync(IResourceLockStore a, IResourceLockStore b)
    {
        await ((SqliteWorkflowStore)a).DisposeAsync();
        await ((SqliteWorkflowStore)b).DisposeAsync();
        _database.Dispose();
    }
}
