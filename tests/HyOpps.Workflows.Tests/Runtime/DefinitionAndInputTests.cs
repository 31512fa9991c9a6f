using Microsoft.Extensions.DependencyInjection;
using HyOpps.TestUtilities;
using Microsoft.Data.Sqlite;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class DefinitionAndInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class NeedsUnregisteredService(IDisposable dependency) : IWorkflowStep
    {
        public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(StepResult.Succeeded(new { Dependency = dependency.GetType().Name }));
    }

    [Fact]
    public async Task Start_EmptyWorkflow_HostStartFailsNamingWorkflow()
    {
        var ex = await Assert.ThrowsAsync<WorkflowDefinitionException>(() => WorkflowTestHost.StartAsync(h => h.AddWorkflow("empty_flow", _ => { })));
        Assert.Contains("'empty_flow'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no steps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DuplicateStepIds_HostStartFailsNamingStep()
    {
        var ex = await Assert.ThrowsAsync<WorkflowDefinitionException>(() => WorkflowTestHost.StartAsync(h => h.AddWorkflow("dupes", wf => wf
            .Step<GreetStep>()
            .Step<GreetStep>())));
        Assert.Contains("'dupes'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'greet'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnresolvableStepType_HostStartFailsNamingStepAndType()
    {
        var ex = await Assert.ThrowsAsync<WorkflowDefinitionException>(() => WorkflowTestHost.StartAsync(h => h.AddWorkflow("broken", wf => wf
            .Step<NeedsUnregisteredService>("needs_service"))));
        Assert.Contains("'broken'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'needs_service'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(NeedsUnregisteredService), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownWorkflow_ThrowsAndWritesNothing()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("greeting", wf => wf.Step<GreetStep>()));

        var ex = await Assert.ThrowsAsync<WorkflowNotFoundException>(() => host.Client.StartJsonAsync("nope", "{}", cancellationToken: Ct));
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("greeting", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await host.Client.ListAsync(new ExecutionQuery(), Ct)).Total);
    }

    [Theory]
    [InlineData("{\"name\": ", "not valid JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("\"text\"", "must be a JSON object")]
    public async Task StartJsonAsync_BadJson_ThrowsNamingInputAndWritesNothing(string json, string expected)
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("greeting", wf => wf.Step<GreetStep>()));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.StartJsonAsync("greeting", json, cancellationToken: Ct));
        Assert.Equal("inputJson", ex.ParamName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await host.Client.ListAsync(new ExecutionQuery(), Ct)).Total);
    }

    [Fact]
    public async Task StartAsync_InputOverLimit_ThrowsAndWritesNothing()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("greeting", wf => wf.Step<GreetStep>()), o => o.MaxInputBytes = 1024);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.StartAsync("greeting", new GreetingInput(new string('x', 2000)), cancellationToken: Ct));
        Assert.Contains("MaxInputBytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await host.Client.ListAsync(new ExecutionQuery(), Ct)).Total);
    }

    [Fact]
    public async Task Versions_ExecutionStaysOnItsVersion_NewStartsUseHighest()
    {
        using var database = new TestDatabase();
        string v1Execution;
        await using (var v1Host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("flow", wf => wf.Version(1).ManualStep("gate", "wait").Step("which", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new { Version = 1 })))),
            connectionString: database.ConnectionString))
        {
            v1Execution = (await v1Host.Client.StartJsonAsync("flow", "{}", cancellationToken: Ct)).ExecutionId;
            Assert.Equal(ExecutionStatus.WaitingForApproval, (await v1Host.Client.WaitForCompletionAsync(v1Execution, Ct)).Status);
        }

        await using var host = await WorkflowTestHost.StartAsync(
            h => h
                .AddWorkflow("flow", wf => wf.Version(1).ManualStep("gate", "wait").Step("which", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new { Version = 1 }))))
                .AddWorkflow("flow", wf => wf.Version(2).Step("which", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new { Version = 2 })))),
            connectionString: database.ConnectionString);
        await host.Client.ApproveAsync(v1Execution, new OperatorAction("ops"), Ct);
        var old = await host.Client.WaitForCompletionAsync(v1Execution, Ct);
        var fresh = await host.Client.WaitForCompletionAsync((await host.Client.StartJsonAsync("flow", "{}", cancellationToken: Ct)).ExecutionId, Ct);

        Assert.Equal(1, old.WorkflowVersion);
        Assert.Equal(1, old.GetStep("which").Output!.Value.GetProperty("version").GetInt32());
        Assert.Equal(2, fresh.WorkflowVersion);
        Assert.Equal(2, fresh.GetStep("which").Output!.Value.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Step_WritesSameSqliteFileThroughItsOwnConnection_Completes()
    {
        // A step must be able to write to the runtime's database while the runtime waits for it: no write lock is held across a step.
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("own_writes", wf => wf
            .Step("write", async (c, ct) =>
            {
                var cs = new SqliteConnectionStringBuilder(c.Services.GetRequiredService<ConnectionStringHolder>().Value) { DefaultTimeout = 2 }.ToString();
                await using var connection = new SqliteConnection(cs);
                await connection.OpenAsync(ct);
                await using var transaction = connection.BeginTransaction(deferred: false);
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "CREATE TABLE IF NOT EXISTS partner_users (email TEXT); INSERT INTO partner_users VALUES ('ada@example.com');";
                await command.ExecuteNonQueryAsync(ct);
                await transaction.CommitAsync(ct);
                return StepResult.Succeeded(new { Written = true });
            })
            .Step("after", (_, _) => ValueTask.FromResult(StepResult.Succeeded()))),
            services: s => s.AddSingleton(new ConnectionStringHolder()));
        host.Services.GetRequiredService<ConnectionStringHolder>().Value = host.ConnectionString;

        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await host.Client.StartJsonAsync("own_writes", "{}", cancellationToken: Ct)).ExecutionId);
        }

        foreach (var id in ids)
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await host.Client.WaitForCompletionAsync(id, Ct)).Status);
        }
    }

    public sealed class ConnectionStringHolder
    {
        public string Value { get; set; } = string.Empty;
    }
}
