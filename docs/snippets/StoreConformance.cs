using HyOpps.Workflows.Storage;
using HyOpps.Workflows.Testing;

namespace MyStore.Tests;

public sealed class MyStoreConformanceTests : WorkflowStoreConformanceTests
{
    protected override Task<IWorkflowStore> CreateStoreAsync()
        => Task.FromResult<IWorkflowStore>(new InMemoryWorkflowStore()); // your store, on its own fresh database

    protected override ValueTask DisposeStoreAsync(IWorkflowStore store) => ValueTask.CompletedTask; // drop that database
}
