using HyOpps.Workflows.Notifications;
using HyOpps.Workflows.Storage;
using Xunit;

namespace HyOpps.Workflows.Testing;

/// <content>The notification outbox: written with its commit or not at all, claimed by one dispatcher at a time, kept until delivered.</content>
public abstract partial class WorkflowStoreConformanceTests
{
    private static readonly TimeSpan NotificationClaim = TimeSpan.FromMinutes(2);

    /// <summary>Checks that a commit's notification is stored with it and reads back whole, including labels and step.</summary>
    [Fact]
    public async Task Outbox_NotificationIsWrittenWithItsCommit()
    {
        var claim = await CreateAndClaimAsync("e1", new Dictionary<string, string> { ["org"] = "acme" });
        Assert.Empty(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("D", T0.AddHours(1), NotificationClaim, 10), Ct));

        Assert.True(await Store.CommitAsync(FailingCommit(claim, Notification("e1/StepFailedPermanently/0.0", "e1")), Ct));

        var stored = Assert.Single(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("D", T0.AddMinutes(1), NotificationClaim, 10), Ct));
        Assert.Equal("e1/StepFailedPermanently/0.0", stored.EventId);
        Assert.Equal(ExecutionNotificationKind.StepFailedPermanently, stored.Kind);
        Assert.Equal(("e1", "wf", "s0"), (stored.ExecutionId, stored.WorkflowName, stored.StepId));
        Assert.Equal(T0.AddMinutes(1), stored.OccurredAt);
        Assert.Equal("acme", stored.Labels["org"]);
        Assert.Equal("Step s0 of wf failed permanently (category: permanent)", stored.Summary);
        Assert.Empty(stored.DeliveredTo);
        Assert.Equal(0, stored.FailedPasses);
        Assert.Equal(ExecutionStatus.Failed, (await Store.GetExecutionRecordAsync("e1", Ct))!.Status);
    }

    /// <summary>Checks that a commit refused by its fencing token or version writes no notification.</summary>
    [Fact]
    public async Task Outbox_FencedOutCommit_WritesNoNotification()
    {
        var first = await CreateAndClaimAsync("e1");
        var second = Assert.Single(await Store.ClaimAsync(new ClaimRequest("B", T0.AddMinutes(5), TimeSpan.FromMinutes(1), 1), Ct));

        Assert.False(await Store.CommitAsync(FailingCommit(first, Notification("fenced", "e1")), Ct));
        Assert.False(await Store.CommitAsync(
            new ExecutionCommit { Execution = second.Execution, ExpectedVersion = second.Execution.Version + 7, Notifications = [Notification("stale-version", "e1")] }, Ct));

        Assert.Empty(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("D", T0.AddDays(1), NotificationClaim, 10), Ct));
    }

    /// <summary>Checks that an event id written twice is one notification.</summary>
    [Fact]
    public async Task Outbox_SameEventIdTwice_IsOneNotification()
    {
        var claim = await CreateAndClaimAsync("e1");
        Assert.True(await Store.CommitAsync(FailingCommit(claim, Notification("same", "e1"), Notification("same", "e1")), Ct));
        var operatorCommit = new ExecutionCommit
        {
            Execution = (await Store.GetExecutionRecordAsync("e1", Ct))!,
            ExpectedVersion = (await Store.GetExecutionRecordAsync("e1", Ct))!.Version,
            Notifications = [Notification("same", "e1")],
        };
        Assert.True(await Store.CommitAsync(operatorCommit, Ct));

        Assert.Single(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("D", T0.AddHours(1), NotificationClaim, 10), Ct));
    }

    /// <summary>Checks that a claimed notification is skipped by other dispatchers until its claim expires, and that only the owner completes it.</summary>
    [Fact]
    public async Task Outbox_ClaimedNotification_IsSkippedByOthersUntilTheClaimExpires()
    {
        var claim = await CreateAndClaimAsync("e1");
        Assert.True(await Store.CommitAsync(FailingCommit(claim, Notification("n1", "e1")), Ct));
        var now = T0.AddMinutes(10);

        Assert.Single(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("A", now, NotificationClaim, 10), Ct));
        Assert.Empty(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("B", now.AddMinutes(1), NotificationClaim, 10), Ct));
        Assert.False(await Store.CompleteNotificationAsync(new NotificationDelivery("n1", "B", ["x"], null), Ct));

        Assert.Single(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("B", now + NotificationClaim, NotificationClaim, 10), Ct));
        Assert.False(await Store.CompleteNotificationAsync(new NotificationDelivery("n1", "A", ["x"], null), Ct));
        Assert.True(await Store.CompleteNotificationAsync(new NotificationDelivery("n1", "B", ["x"], null), Ct));
        Assert.Empty(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("C", now.AddDays(1), NotificationClaim, 10), Ct));
    }

    /// <summary>Checks that a partly failed pass keeps the notifiers that delivered, counts the failure and makes it due at the retry time.</summary>
    [Fact]
    public async Task Outbox_FailedPass_IsRetriedLater_WithTheNotifiersThatDeliveredKept()
    {
        var claim = await CreateAndClaimAsync("e1");
        Assert.True(await Store.CommitAsync(FailingCommit(claim, Notification("n1", "e1")), Ct));
        var now = T0.AddMinutes(10);
        Assert.Single(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("A", now, NotificationClaim, 10), Ct));

        Assert.True(await Store.CompleteNotificationAsync(new NotificationDelivery("n1", "A", ["email"], now.AddMinutes(5)), Ct));

        Assert.Empty(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("A", now.AddMinutes(4), NotificationClaim, 10), Ct));
        var again = Assert.Single(await Store.ClaimNotificationsAsync(new NotificationClaimRequest("A", now.AddMinutes(5), NotificationClaim, 10), Ct));
        Assert.Equal(["email"], again.DeliveredTo);
        Assert.Equal(1, again.FailedPasses);
    }

    /// <summary>Checks that a claim takes at most the batch size, oldest first.</summary>
    [Fact]
    public async Task Outbox_ClaimIsBoundedByMaxCount_OldestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            var claim = await CreateAndClaimAsync($"e{i}");
            Assert.True(await Store.CommitAsync(FailingCommit(claim, Notification($"n{i}", $"e{i}") with { OccurredAt = T0.AddMinutes(10 - i) }), Ct));
        }

        var now = T0.AddHours(1);
        var first = await Store.ClaimNotificationsAsync(new NotificationClaimRequest("A", now, NotificationClaim, 2), Ct);
        Assert.Equal(["n4", "n3"], first.Select(n => n.EventId));
        var rest = await Store.ClaimNotificationsAsync(new NotificationClaimRequest("B", now, NotificationClaim, 10), Ct);
        Assert.Equal(["n2", "n1", "n0"], rest.Select(n => n.EventId));
    }

    private async Task<ClaimedExecution> CreateAndClaimAsync(string id, IReadOnlyDictionary<string, string>? labels = null)
    {
        await CreateAsync(id, labels: labels);
        return Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
    }

    private static ExecutionCommit FailingCommit(ClaimedExecution claim, params NotificationRecord[] notifications) => new()
    {
        Execution = claim.Execution with { Status = ExecutionStatus.Failed, LeaseOwner = null, LeaseExpiresAt = null, CompletedAt = T0.AddMinutes(1), UpdatedAt = T0.AddMinutes(1), ErrorType = "permanent" },
        ExpectedFencingToken = claim.Execution.FencingToken,
        Steps = [claim.Steps[0] with { Status = StepStatus.Failed, ErrorType = "permanent" }],
        Notifications = notifications,
    };

    private static NotificationRecord Notification(string eventId, string executionId) => new()
    {
        EventId = eventId,
        Kind = ExecutionNotificationKind.StepFailedPermanently,
        ExecutionId = executionId,
        WorkflowName = "wf",
        StepId = "s0",
        OccurredAt = T0.AddMinutes(1),
        Labels = new Dictionary<string, string> { ["org"] = "acme" },
        Summary = "Step s0 of wf failed permanently (category: permanent)",
    };
}
