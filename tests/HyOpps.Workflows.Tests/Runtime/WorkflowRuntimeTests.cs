using System.Text.Json;
using HyOpps.TestUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class WorkflowRuntimeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_TypedSteps_RunInOrderAndOutputsFlowForward()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("greeting", wf => wf
            .Step<GreetStep>()
            .Step<ShoutGreetingStep>()));

        var started = await host.Client.StartAsync("greeting", new GreetingInput("Ada"), cancellationToken: Ct);
        var done = await host.Client.WaitForCompletionAsync(started.ExecutionId, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(["greet", "shout_greeting"], done.Steps.Select(s => s.Id));
        Assert.Equal("Hello, Ada", done.GetStep("greet").Output!.Value.GetProperty("greeting").GetString());
        Assert.Equal("HELLO, ADA", done.GetStep("shout_greeting").Output!.Value.GetProperty("shout").GetString());
        Assert.All(done.Steps, s => Assert.Equal(AttemptOutcome.Succeeded, Assert.Single(s.Attempts).Outcome));
        Assert.NotNull(done.CompletedAt);
        Assert.Null(done.WaitingOn);
    }

    [Fact]
    public async Task Start_ConditionFalse_SkipsStepWithReason()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("conditional", wf => wf
            .Step("first", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new { Value = 1 })))
            .Step("never", (_, _) => throw new InvalidOperationException("must not run"), s => s.When(_ => false, "not needed for this org"))
            .Step("skips_itself", (_, _) => ValueTask.FromResult(StepResult.Skipped("Slack is not configured for this org")))));

        var started = await host.Client.StartJsonAsync("conditional", "{}", cancellationToken: Ct);
        var done = await host.Client.WaitForCompletionAsync(started.ExecutionId, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var never = done.GetStep("never");
        Assert.Equal(StepStatus.Skipped, never.Status);
        Assert.Equal("not needed for this org", never.Output!.Value.GetProperty("reason").GetString());
        Assert.Empty(never.Attempts);
        var skipped = done.GetStep("skips_itself");
        Assert.Equal(StepStatus.Skipped, skipped.Status);
        Assert.Equal("Slack is not configured for this org", skipped.Output!.Value.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Start_TransientFailures_RetriedAndEveryAttemptRecorded()
    {
        var calls = 0;
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("flaky", wf => wf
            .Step("flaky", (_, _) => ++calls < 3
                ? throw StepException.Transient($"service unavailable #{calls}")
                : ValueTask.FromResult(StepResult.Succeeded(new { Calls = calls })),
                s => s.WithRetry(new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.Zero, UseJitter = false }))));

        var started = await host.Client.StartJsonAsync("flaky", "{}", cancellationToken: Ct);
        var done = await host.Client.WaitForCompletionAsync(started.ExecutionId, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var attempts = done.GetStep("flaky").Attempts;
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome));
        Assert.Equal("service unavailable #1", attempts[0].Error);
        Assert.Equal(StepErrorTypes.Transient, attempts[0].ErrorType);
        Assert.All(attempts, a => Assert.NotNull(a.Duration));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Number));
    }

    [Fact]
    public async Task Start_PermanentFailure_FailsAtOnceWithActionableMessage()
    {
        var calls = 0;
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("email", wf => wf
            .Step("share_documentation", (_, _) =>
            {
                calls++;
                throw StepException.NotConfigured("SMTP is not configured: set HyOpps:Email:Host.");
            })));

        var started = await host.Client.StartJsonAsync("email", "{}", cancellationToken: Ct);
        var done = await host.Client.WaitForCompletionAsync(started.ExecutionId, Ct);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(1, calls);
        Assert.Contains("SMTP is not configured: set HyOpps:Email:Host.", done.Error, StringComparison.Ordinal);
        Assert.Equal(StepErrorTypes.NotConfigured, done.ErrorType);
        Assert.Equal(StepStatus.Failed, done.GetStep("share_documentation").Status);
    }

    [Fact]
    public async Task Start_AttemptsRunOut_FailsNamingTheAttempts()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("down", wf => wf
            .Step("call", (_, _) => throw new HttpRequestException("connection refused"),
                s => s.WithRetry(new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.Zero, UseJitter = false }))));

        var started = await host.Client.StartJsonAsync("down", "{}", cancellationToken: Ct);
        var done = await host.Client.WaitForCompletionAsync(started.ExecutionId, Ct);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Contains("after 3 attempts", done.Error, StringComparison.Ordinal);
        Assert.Contains("connection refused", done.Error, StringComparison.Ordinal);
        Assert.Equal(3, done.GetStep("call").Attempts.Count);
    }

    [Fact]
    public async Task Start_UnclassifiedException_IsPermanent()
    {
        var calls = 0;
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("bug", wf => wf
            .Step("buggy", (_, _) =>
            {
                calls++;
                throw new InvalidOperationException("a bug");
            })));

        var started = await host.Client.StartJsonAsync("bug", "{}", cancellationToken: Ct);
        var done = await host.Client.WaitForCompletionAsync(started.ExecutionId, Ct);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(1, calls);
        Assert.Equal(StepErrorTypes.Unhandled, done.ErrorType);
    }

    [Fact]
    public async Task Start_SameIdempotencyKey_ReturnsExistingExecution()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("greeting", wf => wf.Step<GreetStep>()));
        var options = new StartExecutionOptions { IdempotencyKey = "org-1/ada@example.com" };

        var first = await host.Client.StartAsync("greeting", new GreetingInput("Ada"), options, Ct);
        var second = await host.Client.StartAsync("greeting", new GreetingInput("Ada again"), options, Ct);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.ExecutionId, second.ExecutionId);
        Assert.Equal(1, (await host.Client.ListAsync(new ExecutionQuery(), Ct)).Total);
    }

    [Fact]
    public async Task Start_ManyExecutions_AllCompleteWithBoundedConcurrency()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        await using var host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("work", wf => wf
                .Step("a", async (_, ct) =>
                {
                    var now = Interlocked.Increment(ref inFlight);
                    InterlockedMax(ref maxInFlight, now);
                    await Task.Yield();
                    Interlocked.Decrement(ref inFlight);
                    return StepResult.Succeeded();
                })
                .Step("b", (_, _) => ValueTask.FromResult(StepResult.Succeeded()))),
            o => o.MaxConcurrentExecutions = 4);

        var ids = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            ids.Add((await host.Client.StartJsonAsync("work", "{}", cancellationToken: Ct)).ExecutionId);
        }

        foreach (var id in ids)
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await host.Client.WaitForCompletionAsync(id, Ct)).Status);
        }

        Assert.InRange(maxInFlight, 1, 4);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
