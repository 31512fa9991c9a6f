using HyOpps.Workflows.Testing;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Tests;

public sealed class InMemoryWorkflowStoreConformanceTests : WorkflowStoreConformanceTests
{
    protected override Task<IWorkflowStore> CreateStoreAsync() => Task.FromResult<IWorkflowStore>(new InMemoryWorkflowStore());

    protected override ValueTask DisposeStoreAsync(IWorkflowStore store) => ValueTask.CompletedTask;
}
