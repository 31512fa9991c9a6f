using HyOpps.Workflows.Storage;
using Xunit;

namespace HyOpps.Workflows.Testing;

/// <content>The overview: counts, failing steps, starts per hour and the due backlog, each within the caller's labels.</content>
public abstract partial class WorkflowStoreConformanceTests
{
    private static readonly Dictionary<string, string> Org1 = new() { ["org"] = "1" };
    private static readonly Dictionary<string, string> Org2 = new() { ["org"] = "2" };

    /// <summary>Checks every number of the overview against a small fixed history, for everyone and for one org.</summary>
    [Fact]
    public async Task Overview_CountsFailingStepsHourlyStartsAndDue_WithinTheLabels()
    {
        // The window is the 24 hours ending with the one holding now: 2026-11-24 13:00 to 2026-11-25 12:30.
        var now = T0.AddMinutes(30);
        await CreateFailedAsync("a1", 1, "Slack token expired", T0.AddMinutes(-10), Org1);
        await CreateFailedAsync("a2", 1, "Slack token expired", T0.AddHours(-3), Org1);
        await CreateFailedAsync("a3", 1, "Slack is down", T0.AddHours(-5), Org1);
        await CreateFailedAsync("b1", 0, "Bad email", T0.AddHours(-1), Org2);
        await CreateFailedAsync("old", 1, "Slack token expired", T0.AddDays(-2), Org1);
        await CreateFinishedAsync("ok", ExecutionStatus.Succeeded, T0.AddMinutes(20));
        await Store.CreateExecutionAsync(NewExecution("due", labels: Org1, at: T0.AddMinutes(-40)), Steps("due"), [], Ct);
        await Store.CreateExecutionAsync(NewExecution("later", labels: Org1, at: T0) with { NextRunAt = T0.AddHours(2) }, Steps("later"), [], Ct);
        await Store.CreateExecutionAsync(NewExecution("other", labels: Org2, at: T0.AddMinutes(-5), workflow: "other") with { NextRunAt = T0.AddMinutes(-2) }, Steps("other"), [], Ct);
        await Store.CreateExecutionAsync(NewExecution("future", labels: Org2, at: T0.AddHours(1)), Steps("future"), [], Ct);

        var all = await Store.GetOverviewAsync(new OverviewRequest { Now = now }, Ct);

        Assert.Equal(
            [new("other", ExecutionStatus.Pending, 1), new("wf", ExecutionStatus.Pending, 3), new("wf", ExecutionStatus.Succeeded, 1), new("wf", ExecutionStatus.Failed, 5)],
            all.Counts);
        Assert.Equal([new FailingStep("wf", "s1", 3, "Slack token expired", 2), new FailingStep("wf", "s0", 1, "Bad email", 1)], all.FailingSteps);
        Assert.Equal(24, all.StartsPerHour.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero), all.StartsPerHour[0].HourStart);
        Assert.Equal(T0, all.StartsPerHour[^1].HourStart);

        // The finished ones were created five minutes before they finished; "old" and "future" lie outside the window.
        var byHour = all.StartsPerHour.Where(h => h.Count > 0).ToDictionary(h => h.HourStart, h => h.Count);
        Assert.Equal(
            new Dictionary<DateTimeOffset, int>
            {
                [T0.AddHours(-6)] = 1, // a3 at 06:55
                [T0.AddHours(-4)] = 1, // a2 at 08:55
                [T0.AddHours(-2)] = 1, // b1 at 10:55
                [T0.AddHours(-1)] = 3, // a1 at 11:45, due at 11:20, other at 11:55
                [T0] = 2, // ok at 12:15, later at 12:00
            },
            byHour);
        Assert.Equal(2, all.DueCount);
        Assert.Equal(T0.AddMinutes(-40), all.OldestDueAt);

        var org2 = await Store.GetOverviewAsync(new OverviewRequest { Now = now, Labels = Org2 }, Ct);
        Assert.Equal([new("other", ExecutionStatus.Pending, 1), new("wf", ExecutionStatus.Pending, 1), new("wf", ExecutionStatus.Failed, 1)], org2.Counts);
        Assert.Equal([new FailingStep("wf", "s0", 1, "Bad email", 1)], org2.FailingSteps);
        Assert.Equal(2, org2.StartsPerHour.Sum(h => h.Count));
        Assert.Equal((1, T0.AddMinutes(-2)), (org2.DueCount, org2.OldestDueAt));

        var nobody = await Store.GetOverviewAsync(new OverviewRequest { Now = now, Labels = new Dictionary<string, string> { ["org"] = "3" } }, Ct);
        Assert.Empty(nobody.Counts);
        Assert.Empty(nobody.FailingSteps);
        Assert.All(nobody.StartsPerHour, h => Assert.Equal(0, h.Count));
        Assert.Equal((0, (DateTimeOffset?)null), (nobody.DueCount, nobody.OldestDueAt));
    }

    /// <summary>Checks that a search by label value finds executions whatever the label's key, and nothing else.</summary>
    [Fact]
    public async Task List_ByAnyLabelValue_FindsItUnderAnyKey()
    {
        await CreateAsync("e1", labels: new Dictionary<string, string> { ["email"] = "ann@example.com", ["org"] = "1" });
        await CreateAsync("e2", labels: new Dictionary<string, string> { ["contact"] = "ann@example.com" });
        await CreateAsync("e3", labels: new Dictionary<string, string> { ["email"] = "bob@example.com", ["org"] = "1" });

        var found = await Store.ListExecutionsAsync(new ExecutionQuery { AnyLabelValue = "ann@example.com" }, Ct);
        var scoped = await Store.ListExecutionsAsync(new ExecutionQuery { AnyLabelValue = "ann@example.com", Labels = Org1 }, Ct);

        Assert.Equal(["e1", "e2"], found.Items.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, found.Total);
        Assert.Equal("e1", Assert.Single(scoped.Items).Id);
        Assert.Equal(0, (await Store.ListExecutionsAsync(new ExecutionQuery { AnyLabelValue = "ann" }, Ct)).Total);
    }

    /// <summary>Checks that an out-of-range window is refused with the setting's name.</summary>
    [Fact]
    public async Task Overview_WindowOutOfRange_IsRefused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.GetOverviewAsync(new OverviewRequest { Now = T0, Hours = 0 }, Ct).AsTask());
        Assert.Contains("Hours", error.Message, StringComparison.Ordinal);
    }

    private async Task CreateFailedAsync(string id, int stepIndex, string error, DateTimeOffset failedAt, IReadOnlyDictionary<string, string> labels)
    {
        var execution = NewExecution(id, labels: labels, at: failedAt.AddMinutes(-5));
        await Store.CreateExecutionAsync(execution, Steps(id), [], Ct);
        var failedStep = new StepRecord { ExecutionId = id, Index = stepIndex, StepId = $"s{stepIndex}", Status = StepStatus.Failed, Attempts = 1, Error = error, ErrorType = "permanent", CompletedAt = failedAt };
        var done = await Store.CommitAsync(new ExecutionCommit
        {
            Execution = execution with
            {
                Status = ExecutionStatus.Failed,
                CurrentStepIndex = stepIndex,
                UpdatedAt = failedAt,
                CompletedAt = failedAt,
                Error = $"Step 's{stepIndex}' failed: {error}",
                ErrorType = "permanent",
                Version = 1,
            },
            ExpectedVersion = 1,
            Steps = [failedStep],
        }, Ct);
        Assert.True(done, $"Failing '{id}' failed.");
    }
}
