using HyOpps.Storage.Postgres.Internal;
using HyOpps.Workflows.Storage;
using HyOpps.Workflows.Testing;

namespace HyOpps.Storage.Postgres.Tests;

public sealed class PostgresWorkflowStoreConformanceTests(PostgresFixture postgres) : WorkflowStoreConformanceTests
{
    protected override async Task<IWorkflowStore> CreateStoreAsync()
        => PostgresStores.Create(await postgres.CreateDatabaseAsync());

    protected override async ValueTask DisposeStoreAsync(IWorkflowStore store)
        => await ((PostgresWorkflowStore)store).DisposeAsync();
}
