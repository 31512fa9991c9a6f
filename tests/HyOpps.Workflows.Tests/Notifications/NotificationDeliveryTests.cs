using HyOpps.TestUtilities;
using HyOpps.Workflows.Notifications;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Notifications;

/// <summary>The outbox and its dispatcher end to end on a real SQLite file and a fake clock.</summary>
public sealed class NotificationDeliveryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailedStep_SendsOneNotification_WithLinkLabelsAndSummary_NoInputErrorOrSecret()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(time, h => h.AddNotifier("recording", _ => notifier));

        var id = await StartAsync(host, "failing", new { email = "ada@example.com", password = "hunter2" });
        await host.Client.WaitForCompletionAsync(id, Ct);
        time.Advance(Poll);
        var sent = await Eventually.UntilAsync(() => Task.FromResult(notifier.Received), r => r.Count >= 1, "the notification to be sent");

        var n = Assert.Single(sent);
        Assert.Equal(ExecutionNotificationKind.StepFailedPermanently, n.Kind);
        Assert.Equal((id, "failing", "broken"), (n.ExecutionId, n.WorkflowName, n.StepId));
        Assert.Equal("Step broken of failing failed permanently (category: not_configured)", n.Summary);
        Assert.Equal(new Uri($"https://ops.example.com/hyopps/executions/{id}"), n.DashboardUrl);
        Assert.Equal("acme", n.Labels["org"]);
        Assert.Equal(T0, n.OccurredAt);
        var text = $"{n.Summary} {n.EventId} {n.DashboardUrl}";
        Assert.DoesNotContain("ada@example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Slack token", text, StringComparison.Ordinal);

        // Delivered means gone from the outbox: later passes send nothing more.
        time.Advance(Poll * 3);
        await AssertOutboxEmptyAsync(host);
        Assert.Equal(1, notifier.Calls);
    }

    [Fact]
    public async Task FailingNotifier_DoesNotAffectTheExecution_IsRetriedWithBackoff_OthersAreNotSentAgain()
    {
        var time = new FakeTimeProvider(T0);
        var flaky = new RecordingNotifier { FailuresLeft = 2 };
        var steady = new RecordingNotifier();
        await using var host = await StartAsync(time, h => h.AddNotifier("flaky", _ => flaky).AddNotifier("steady", _ => steady));

        var id = await StartAsync(host, "failing", new { });
        var done = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Failed, done.Status);
        var ok = await StartAsync(host, "fine", new { });
        Assert.Equal(ExecutionStatus.Succeeded, (await host.Client.WaitForCompletionAsync(ok, Ct)).Status);

        time.Advance(Poll);
        await Eventually.UntilAsync(() => Task.FromResult(flaky.Calls), c => c == 1, "the first try");
        await Eventually.UntilAsync(() => Task.FromResult(steady.Received.Count), c => c == 1, "the steady notifier's delivery");
        await WaitForLogAsync(host, "Notifier flaky failed", 1);

        // Backoff 30 s, then 60 s: the second try comes at the first poll after 30 s, the third after a further 60 s.
        time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => Task.FromResult(flaky.Calls), c => c == 2, "the second try");
        await WaitForLogAsync(host, "Notifier flaky failed", 2);
        time.Advance(TimeSpan.FromSeconds(30));
        time.Advance(Poll);
        Assert.Equal(2, flaky.Calls);
        time.Advance(TimeSpan.FromSeconds(30));
        var received = await Eventually.UntilAsync(() => Task.FromResult(flaky.Received), r => r.Count == 1, "the third try to deliver");

        Assert.Equal(steady.Received[0].EventId, received[0].EventId);
        Assert.Single(steady.Received);
        await Eventually.UntilAsync(() => OutboxCountAsync(host), c => c == 0, "the outbox to empty");

        // The warning names the notifier, kind and execution, never the labels (they may name a person).
        var warnings = host.Logs.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.StartsWith("Notifier flaky", StringComparison.Ordinal)).ToArray();
        Assert.All(warnings, w => Assert.DoesNotContain("acme", w.Message, StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.Contains(id, w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HungNotifier_IsCancelledAtItsTimeout_SkippedForTheRestOfTheBatch_OthersStillSent_RetriedLater()
    {
        var time = new FakeTimeProvider(T0);
        var hung = new RecordingNotifier();
        hung.After = _ => new TaskCompletionSource().Task;  // ignores its token: only the runtime's own wait can end it
        var steady = new RecordingNotifier();
        await using var host = await StartAsync(time, h => h.AddNotifier("hung", _ => hung).AddNotifier("steady", _ => steady));
        var ids = new[] { await StartAsync(host, "failing", new { }), await StartAsync(host, "failing", new { }) };
        foreach (var id in ids)
        {
            await host.Client.WaitForCompletionAsync(id, Ct);
        }

        // One batch of two notifications: the first call hangs, and the notifier after it waits its turn.
        time.Advance(Poll);
        await Eventually.UntilAsync(() => Task.FromResult(hung.Calls), c => c == 1, "the hung notifier to be called");
        Assert.Empty(steady.Received);

        // At the timeout the hung call is given up; the rest of the batch goes to the steady notifier alone.
        time.Advance(TimeSpan.FromSeconds(30));
        var sent = await Eventually.UntilAsync(() => Task.FromResult(steady.Received), r => r.Count == 2, "the steady notifier's deliveries");
        Assert.Equal(ids.Order(), sent.Select(n => n.ExecutionId).Order());
        await WaitForLogAsync(host, "Notifier hung did not finish within 00:00:30", 1);
        Assert.Equal(1, hung.Calls);
        Assert.Equal(2, await OutboxCountAsync(host));

        // Both are retried after the backoff, to the hung notifier only, which has recovered.
        hung.After = null;
        time.Advance(TimeSpan.FromSeconds(30) + Poll);
        await Eventually.UntilAsync(() => OutboxCountAsync(host), c => c == 0, "the outbox to empty");
        Assert.Equal(3, hung.Calls);
        Assert.Equal(2, steady.Calls);
        Assert.Equal(sent.Select(n => n.EventId).Order(), hung.Received.Skip(1).Select(n => n.EventId).Order());
    }

    [Fact]
    public async Task HostStoppedMidDelivery_AnotherHostRedeliversTheSameEventId()
    {
        var time = new FakeTimeProvider(T0);
        using var database = new TestDatabase();
        var first = new RecordingNotifier { After = ct => Task.Delay(Timeout.Infinite, ct) };
        string id;
        await using (var host = await StartAsync(time, h => h.AddNotifier("recording", _ => first), database.ConnectionString))
        {
            id = await StartAsync(host, "failing", new { });
            await host.Client.WaitForCompletionAsync(id, Ct);
            time.Advance(Poll);
            await Eventually.UntilAsync(() => Task.FromResult(first.Received.Count), c => c == 1, "the first host to be sending");
        }

        var second = new RecordingNotifier();
        await using var next = await StartAsync(time, h => h.AddNotifier("recording", _ => second), database.ConnectionString);

        // The stopped host's claim holds the row until it expires; then the new host sends it, under the same id.
        time.Advance(Poll);
        Assert.Empty(second.Received);
        time.Advance(TimeSpan.FromMinutes(2));
        var again = await Eventually.UntilAsync(() => Task.FromResult(second.Received), r => r.Count == 1, "the redelivery");

        Assert.Equal(first.Received[0].EventId, again[0].EventId);
        Assert.Equal(id, again[0].ExecutionId);
    }

    [Fact]
    public async Task OperatorTransitions_WaitAndRejectAndRetry_EachSendItsOwnEvent_Once()
    {
        var time = new FakeTimeProvider(T0);
        var notifier = new RecordingNotifier();
        await using var host = await StartAsync(time, h => h.AddNotifier("recording", _ => notifier));

        var id = await StartAsync(host, "approval", new { });
        await host.Client.WaitForCompletionAsync(id, Ct);
        await host.Client.RerunFromAsync(id, "approve_access", new OperatorAction("ops"), cancellationToken: Ct);
        await host.Client.WaitForCompletionAsync(id, Ct);
        await host.Client.RejectAsync(id, new OperatorAction("lead", "ada@example.com is unknown"), Ct);
        time.Advance(Poll);
        var sent = await Eventually.UntilAsync(() => Task.FromResult(notifier.Received), r => r.Count == 3, "three events");

        Assert.Equal(
            [ExecutionNotificationKind.WaitingForApproval, ExecutionNotificationKind.WaitingForApproval, ExecutionNotificationKind.StepFailedPermanently],
            sent.Select(n => n.Kind));
        Assert.Equal(3, sent.Select(n => n.EventId).Distinct().Count());
        Assert.Equal("Step approve_access of approval waits for approval", sent[0].Summary);
        Assert.Equal("Step approve_access of approval failed permanently (category: rejected)", sent[2].Summary);
        Assert.DoesNotContain("ada@example.com", sent[2].Summary, StringComparison.Ordinal);

        time.Advance(Poll * 3);
        await AssertOutboxEmptyAsync(host);
        Assert.Equal(3, notifier.Calls);
    }

    [Fact]
    public async Task NoNotifierRegistered_WritesNoOutboxRows()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await StartAsync(time, _ => { });

        var id = await StartAsync(host, "failing", new { });
        Assert.Equal(ExecutionStatus.Failed, (await host.Client.WaitForCompletionAsync(id, Ct)).Status);

        Assert.Equal(0, await OutboxCountAsync(host));
    }

    [Fact]
    public async Task TwoNotifiersWithOneName_FailAtStart()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(
            new FakeTimeProvider(T0), h => h.AddNotifier("same", _ => new RecordingNotifier()).AddNotifier("same", _ => new RecordingNotifier())));

        Assert.Contains("Two notifiers are named 'same'", ex.Message, StringComparison.Ordinal);
    }

    internal static Task<WorkflowTestHost> StartAsync(FakeTimeProvider time, Action<IHyOppsBuilder> notifiers, string? connectionString = null)
        => WorkflowTestHost.StartAsync(
            h =>
            {
                h.AddWorkflow("failing", wf => wf.Step("broken", (_, _) => throw StepException.NotConfigured("The Slack token is not set.")));
                h.AddWorkflow("fine", wf => wf.Step("ok", (_, _) => ValueTask.FromResult(StepResult.Succeeded())));
                h.AddWorkflow("approval", wf => wf.ManualStep("approve_access", "Approve ada@example.com?"));
                notifiers(h);
            },
            o =>
            {
                o.Notifications.DashboardBaseUrl = new Uri("https://ops.example.com/hyopps/");
                o.Notifications.PollInterval = Poll;
            },
            time,
            connectionString: connectionString);

    private static async Task<string> StartAsync(WorkflowTestHost host, string workflow, object input)
        => (await host.Client.StartAsync(workflow, input, new StartExecutionOptions { Labels = new Dictionary<string, string> { ["org"] = "acme" } }, Ct)).ExecutionId;

    /// <summary>Counts the outbox's rows straight from the file: a claim would take them from the dispatcher.</summary>
    private static async Task<int> OutboxCountAsync(WorkflowTestHost host)
    {
        await using var connection = new SqliteConnection(host.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM notifications";
        return Convert.ToInt32(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task AssertOutboxEmptyAsync(WorkflowTestHost host)
        => Eventually.UntilAsync(() => OutboxCountAsync(host), c => c == 0, "the outbox to be empty");

    private static Task WaitForLogAsync(WorkflowTestHost host, string prefix, int count)
        => Eventually.UntilAsync(
            () => Task.FromResult(host.Logs.GetSnapshot().Count(r => r.Message.StartsWith(prefix, StringComparison.Ordinal))),
            n => n >= count,
            $"{count} log lines starting '{prefix}'");
}
