using HyOpps.Storage.Sqlite;
using HyOpps.Storage.Sqlite.Internal;
using HyOpps.TestUtilities;
using HyOpps.Workflows.Testing;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Sqlite.Tests;

public sealed class SqliteWorkflowStoreConformanceTests : WorkflowStoreConformanceTests
{
    private readonly TestDatabase _database = new();

    protected override Task<IWorkflowStore> CreateStoreAsync()
        => Task.FromResult<IWorkflowStore>(new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = _database.ConnectionString }));

    protected override async ValueTask DisposeStoreAsync(IWorkflowStore store)
    {
        await ((SqliteWorkflowStore)store).DisposeAsync();
        _database.Dispose();
    }
}
