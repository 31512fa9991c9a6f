using System.Text.Json;
using HyOpps.TestUtilities;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class OperatorActionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly RetryPolicy Once = RetryPolicy.None;

    [Fact]
    public async Task RetryAsync_FailedStep_RunsItAgainAndCompletes()
    {
        var fail = true;
        var runs = new RunLog();
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf
            .Step("one", (c, _) => { runs.Record(c.ExecutionId, "one"); return ValueTask.FromResult(StepResult.Succeeded()); })
            .Step("two", (c, _) =>
            {
                runs.Record(c.ExecutionId, "two");
                return fail ? throw StepException.Permanent("Metabase group 7 does not exist.") : ValueTask.FromResult(StepResult.Succeeded(new { Ok = true }));
            })
            .Step("three", (c, _) => { runs.Record(c.ExecutionId, "three"); return ValueTask.FromResult(StepResult.Succeeded()); })));

        var id = (await host.Client.StartJsonAsync("wf", "{}", cancellationToken: Ct)).ExecutionId;
        var failed = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal("two", failed.CurrentStepId);

        fail = false;
        await host.Client.RetryAsync(id, new OperatorAction("ops@example.com", "group created"), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(1, runs.Runs(id, "one"));
        Assert.Equal(2, runs.Runs(id, "two"));
        Assert.Equal(1, runs.Runs(id, "three"));
        var attempts = done.GetStep("two").Attempts;
        Assert.Equal([(1, AttemptOutcome.Failed), (2, AttemptOutcome.Succeeded)], attempts.Select(a => (a.Run, a.Outcome)));
        var audit = Assert.Single(done.Audit, a => a.Action == "retry");
        Assert.Equal("ops@example.com", audit.Actor);
        Assert.Equal("group created", audit.Reason);
    }

    [Fact]
    public async Task RetryAsync_SucceededExecution_Throws()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf.Step<GreetStep>()));
        var id = (await host.Client.StartAsync("wf", new GreetingInput("x"), cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);

        var ex = await Assert.ThrowsAsync<ExecutionStateException>(() => host.Client.RetryAsync(id, new OperatorAction("ops"), Ct));
        Assert.Contains("Succeeded", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RerunFromAsync_Step2Of4_RepeatsOnlyLaterStepsAndKeepsHistory()
    {
        var runs = new RunLog();
        ValueTask<StepResult> Run(StepContext c, string id)
        {
            var n = runs.Record(c.ExecutionId, id);
            return ValueTask.FromResult(StepResult.Succeeded(new { Run = n, Name = c.GetInput<GreetingInput>().Name }));
        }

        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf
            .Step("s1", (c, _) => Run(c, "s1"))
            .Step("s2", (c, _) => Run(c, "s2"))
            .Step("s3", (c, _) => Run(c, "s3"))
            .Step("s4", (c, _) => Run(c, "s4"))));
        var id = (await host.Client.StartAsync("wf", new GreetingInput("Ada"), cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);

        var overrideInput = JsonSerializer.SerializeToElement(new { name = "Grace" });
        await host.Client.RerunFromAsync(id, "s2", new OperatorAction("ops", "fix name"), overrideInput, Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal([1, 2, 2, 2], new[] { "s1", "s2", "s3", "s4" }.Select(s => runs.Runs(id, s)));
        Assert.Equal("Grace", done.GetStep("s2").Output!.Value.GetProperty("name").GetString());
        Assert.Equal("Ada", done.GetStep("s3").Output!.Value.GetProperty("name").GetString());
        Assert.Equal(2, done.GetStep("s3").Run);
        Assert.Equal([1, 2], done.GetStep("s3").Attempts.Select(a => a.Run));
        Assert.Equal(1, done.GetStep("s3").Attempts[0].Output!.Value.GetProperty("run").GetInt32());
        Assert.Contains(done.Audit, a => a.Action == "rerun_from" && a.Detail == "s2" && a.Reason == "fix name");
    }

    [Fact]
    public async Task RerunFromAsync_UnknownStep_Throws()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf.Step<GreetStep>()));
        var id = (await host.Client.StartAsync("wf", new GreetingInput("x"), cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);

        var ex = await Assert.ThrowsAsync<ExecutionStateException>(() => host.Client.RerunFromAsync(id, "nope", new OperatorAction("ops"), cancellationToken: Ct));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAsync_RunningStep_SeesItsTokenCancelled()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawCancel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = 0;
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf
            .Step("long", async (_, ct) =>
            {
                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    sawCancel.TrySetResult();
                    throw;
                }

                return StepResult.Succeeded();
            })
            .Step("after", (_, _) => { after++; return ValueTask.FromResult(StepResult.Succeeded()); })));

        var id = (await host.Client.StartJsonAsync("wf", "{}", cancellationToken: Ct)).ExecutionId;
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var cancelled = await host.Client.CancelAsync(id, new OperatorAction("ops", "wrong org"), Ct);
        await sawCancel.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Equal(StepStatus.Cancelled, done.GetStep("long").Status);
        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(done.GetStep("long").Attempts).Outcome);
        Assert.Equal(0, after);
        Assert.Contains(done.Audit, a => a.Action == "cancel" && a.Actor == "ops");
    }

    [Fact]
    public async Task ApproveAsync_ManualStep_ContinuesWithApproverInOutput()
    {
        var after = 0;
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf
            .Step<GreetStep>()
            .ManualStep("approve_access", "Approve access for this partner user?")
            .Step("after", (c, _) =>
            {
                after++;
                return ValueTask.FromResult(StepResult.Succeeded(new { ApprovedBy = c.GetOutput<JsonElement>("approve_access").GetProperty("approved_by").GetString() }));
            })));

        var id = (await host.Client.StartAsync("wf", new GreetingInput("Ada"), cancellationToken: Ct)).ExecutionId;
        var waiting = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.WaitingForApproval, waiting.Status);
        Assert.Equal(StepStatus.WaitingForApproval, waiting.GetStep("approve_access").Status);
        Assert.Contains("Approve access for this partner user?", waiting.WaitingOn, StringComparison.Ordinal);
        Assert.Equal(0, after);

        await host.Client.ApproveAsync(id, new OperatorAction("lead@example.com", "known partner"), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal("lead@example.com", done.GetStep("after").Output!.Value.GetProperty("approved_by").GetString());
        Assert.Contains(done.Audit, a => a.Action == "approve" && a.Actor == "lead@example.com" && a.Reason == "known partner");
    }

    [Fact]
    public async Task RejectAsync_ManualStep_FailsExecution()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf
            .ManualStep("approve_access", "Approve?")
            .Step<GreetStep>()));

        var id = (await host.Client.StartAsync("wf", new GreetingInput("Ada"), cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);
        await host.Client.RejectAsync(id, new OperatorAction("lead", "unknown person"), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(StepErrorTypes.Rejected, done.ErrorType);
        Assert.Contains("rejected by lead: unknown person", done.Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Pending, done.GetStep("greet").Status);
    }

    [Fact]
    public async Task ApproveAsync_NothingWaiting_Throws()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf.Step<GreetStep>()));
        var id = (await host.Client.StartAsync("wf", new GreetingInput("x"), cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);

        await Assert.ThrowsAsync<ExecutionStateException>(() => host.Client.ApproveAsync(id, new OperatorAction("ops"), Ct));
    }

    [Fact]
    public async Task OperatorActions_UnknownExecution_ThrowNotFound()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("wf", wf => wf.Step<GreetStep>()));

        await Assert.ThrowsAsync<ExecutionNotFoundException>(() => host.Client.RetryAsync("missing", new OperatorAction("ops"), Ct));
        await Assert.ThrowsAsync<ExecutionNotFoundException>(() => host.Client.CancelAsync("missing", new OperatorAction("ops"), Ct));
        Assert.Null(await host.Client.GetAsync("missing", Ct));
    }
}
