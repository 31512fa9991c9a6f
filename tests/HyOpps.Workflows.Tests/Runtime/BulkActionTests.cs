using HyOpps.TestUtilities;
using HyOpps.Workflows.Internal;

namespace HyOpps.Workflows.Tests.Runtime;

/// <summary>Bulk retry, cancel and re-run by filter: a dry run changes nothing, the real run goes through the state machine and is audited per execution.</summary>
public sealed class BulkActionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkRetry_DryRunCountsAndSamples_ThenRetriesOnlyTheMatchesAndAuditsEach()
    {
        var broken = new Flag(true);
        await using var host = await WorkflowTestHost.StartAsync(Flow(broken));
        var org1 = await FailedAsync(host, "1", 3);
        var org2 = await FailedAsync(host, "2", 2);
        var filter = new ExecutionQuery { WorkflowName = "onboard", Statuses = [ExecutionStatus.Failed], CurrentStepId = "slack", Labels = Org("1") };

        var preview = await host.Client.BulkRetryAsync(filter, new OperatorAction("ops", "token renewed"), dryRun: true, cancellationToken: Ct);

        Assert.Equal((true, 3, 0), (preview.DryRun, preview.Matched, preview.Applied));
        Assert.Equal(org1.AsEnumerable().Reverse(), preview.Sample.Select(s => s.Id));
        Assert.All(await DetailsAsync(host, org1.Concat(org2)), d => Assert.Equal(ExecutionStatus.Failed, d.Status));

        broken.Value = false;
        var result = await host.Client.BulkRetryAsync(filter, new OperatorAction("ops", "token renewed"), dryRun: false, cancellationToken: Ct);

        Assert.Equal((false, 3, 3), (result.DryRun, result.Matched, result.Applied));
        Assert.Empty(result.Skipped);
        foreach (var id in org1)
        {
            var done = await host.Client.WaitForCompletionAsync(id, Ct);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            var audit = Assert.Single(done.Audit, a => a.Action == "bulk_retry");
            Assert.Equal(("ops", "token renewed"), (audit.Actor, audit.Reason));
            Assert.Equal("filter: workflow=onboard status=Failed step=slack org=1", audit.Detail);
        }

        Assert.All(await DetailsAsync(host, org2), d => Assert.Equal(ExecutionStatus.Failed, d.Status));
    }

    [Fact]
    public async Task BulkRetry_MoreThanOneBatch_ChangesEveryMatchOnce()
    {
        var broken = new Flag(true);
        await using var host = await WorkflowTestHost.StartAsync(Flow(broken));
        var count = WorkflowClient.BulkBatchSize + 30;
        var ids = await FailedAsync(host, "1", count);
        broken.Value = false;

        var result = await host.Client.BulkRetryAsync(new ExecutionQuery { Statuses = [ExecutionStatus.Failed] }, new OperatorAction("ops"), dryRun: false, cancellationToken: Ct);

        Assert.Equal((count, count), (result.Matched, result.Applied));
        Assert.Equal(WorkflowClient.BulkSampleSize, result.Sample.Count);
        foreach (var id in ids)
        {
            var done = await host.Client.WaitForCompletionAsync(id, Ct);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            Assert.Single(done.Audit, a => a.Action == "bulk_retry");
        }
    }

    [Fact]
    public async Task BulkCancel_SkipsWhatCannotBeCancelled_NamingWhy()
    {
        await using var host = await WorkflowTestHost.StartAsync(Flow(new Flag(false)));
        var scheduled = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            scheduled.Add((await host.Client.StartJsonAsync("onboard", "{}", new StartExecutionOptions { Labels = Org("1"), NotBefore = DateTimeOffset.UtcNow.AddDays(1) }, Ct)).ExecutionId);
        }

        var finished = (await host.Client.StartJsonAsync("onboard", "{}", new StartExecutionOptions { Labels = Org("1") }, Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(finished, Ct);

        var result = await host.Client.BulkCancelAsync(new ExecutionQuery { Labels = Org("1") }, new OperatorAction("ops", "org offboarded"), dryRun: false, cancellationToken: Ct);

        Assert.Equal((3, 2), (result.Matched, result.Applied));
        var skip = Assert.Single(result.Skipped);
        Assert.Equal(finished, skip.ExecutionId);
        Assert.Contains("is Succeeded already", skip.Reason, StringComparison.Ordinal);
        Assert.All(await DetailsAsync(host, scheduled), d =>
        {
            Assert.Equal(ExecutionStatus.Cancelled, d.Status);
            Assert.Contains(d.Audit, a => a.Action == "bulk_cancel" && a.Reason == "org offboarded");
        });
    }

    [Fact]
    public async Task BulkRerunFrom_RunsTheStepAgainForEveryMatch()
    {
        var broken = new Flag(false);
        await using var host = await WorkflowTestHost.StartAsync(Flow(broken));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await host.Client.StartJsonAsync("onboard", "{}", new StartExecutionOptions { Labels = Org("1") }, Ct)).ExecutionId;
            await host.Client.WaitForCompletionAsync(id, Ct);
            ids.Add(id);
        }

        var result = await host.Client.BulkRerunFromAsync(new ExecutionQuery { Statuses = [ExecutionStatus.Succeeded] }, "slack", new OperatorAction("ops", "group changed"), dryRun: false, cancellationToken: Ct);

        Assert.Equal((3, 3), (result.Matched, result.Applied));
        foreach (var id in ids)
        {
            var done = await Eventually.UntilAsync(() => host.Client.GetAsync(id, Ct), d => d!.Status == ExecutionStatus.Succeeded && d.Steps[1].Run == 2, "the re-run");
            Assert.Equal([1, 2], done!.Steps.Select(s => s.Run));
            Assert.Equal("slack (filter: status=Succeeded)", Assert.Single(done.Audit, a => a.Action == "bulk_rerun_from").Detail);
        }
    }

    private static Dictionary<string, string> Org(string org) => new() { ["org"] = org };

    private static async Task<List<string>> FailedAsync(WorkflowTestHost host, string org, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await host.Client.StartJsonAsync("onboard", "{}", new StartExecutionOptions { Labels = Org(org) }, Ct)).ExecutionId);
        }

        foreach (var id in ids)
        {
            Assert.Equal(ExecutionStatus.Failed, (await host.Client.WaitForCompletionAsync(id, Ct)).Status);
        }

        return ids;
    }

    private static async Task<List<ExecutionDetail>> DetailsAsync(WorkflowTestHost host, IEnumerable<string> ids)
    {
        var list = new List<ExecutionDetail>();
        foreach (var id in ids)
        {
            list.Add((await host.Client.GetAsync(id, Ct))!);
        }

        return list;
    }

    private static Action<IHyOppsBuilder> Flow(Flag broken)
        => h => h.AddWorkflow("onboard", wf => wf
            .Step("validate", (_, _) => ValueTask.FromResult(StepResult.Succeeded()))
            .Step("slack", (_, _) => broken.Value
                ? throw StepException.Permanent("Slack token expired (invalid_auth).")
                : ValueTask.FromResult(StepResult.Succeeded())));

    private sealed class Flag(bool value)
    {
        private volatile bool _value = value;

        public bool Value
        {
            get => _value;
            set => _value = value;
        }
    }
}
