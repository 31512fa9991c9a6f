using System.Diagnostics;
using HyOpps.TestUtilities;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class TraceTests
{
    private static readonly ActivitySource Caller = new("HyOpps.Tests.Caller");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneExecution_IsOneTrace_UnderTheCallersSpan_AlsoAfterARestart_AndNoSpanCarriesInputOutputOrSecrets()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(HyOppsTelemetry.ActivitySourceName, Caller.Name)
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(spans)
            .Build();
        using var database = new TestDatabase();
        using var running = new SemaphoreSlim(0);
        var firstHost = true;
        void Configure(IHyOppsBuilder h) => h.AddWorkflow("traced", wf => wf
            .Step("create", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new { user_id = "zoe-42", access_token = "tok-SECRET-1" })))
            .Step("invite", async (_, ct) =>
            {
                if (firstHost)
                {
                    running.Release();
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return StepResult.Succeeded(new { invited = "zoe@example.com" });
            })
            .Step("notify", (_, _) => ValueTask.FromResult(StepResult.Succeeded())));

        string id;
        ActivityContext caller;
        await using (var first = await WorkflowTestHost.StartAsync(Configure, connectionString: database.ConnectionString))
        {
            using (var request = Caller.StartActivity("POST /api/users"))
            {
                caller = request!.Context;
                id = (await first.Client.StartJsonAsync("traced", "{\"email\":\"zoe@example.com\",\"password\":\"pw-SECRET-2\"}", cancellationToken: Ct)).ExecutionId;
            }

            Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        }

        // The host stopped during "invite"; another one finishes the execution.
        firstHost = false;
        await using (var second = await WorkflowTestHost.StartAsync(Configure, connectionString: database.ConnectionString))
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await second.Client.WaitForCompletionAsync(id, Ct)).Status);
        }

        tracing.ForceFlush();
        List<Activity> mine;
        lock (spans)
        {
            mine = spans.Where(s => s.TraceId == caller.TraceId).ToList();
        }

        var execution = Assert.Single(mine, s => s.OperationName == "hyopps.execution");
        Assert.Equal(caller.SpanId, execution.ParentSpanId);
        Assert.Equal(id, execution.GetTagItem("hyopps.execution_id"));
        var steps = mine.Where(s => s.OperationName == "hyopps.step").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(
            [("create", 1, "succeeded"), ("invite", 1, "abandoned"), ("invite", 2, "succeeded"), ("notify", 1, "succeeded")],
            steps.Select(s => ((string)s.GetTagItem("hyopps.step_id")!, (int)s.GetTagItem("hyopps.attempt")!, (string)s.GetTagItem("hyopps.outcome")!)));
        Assert.All(steps, s => Assert.Equal(execution.SpanId, s.ParentSpanId));

        foreach (var span in mine)
        {
            var text = string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}").Concat(span.Events.Select(e => e.Name)).Append(span.StatusDescription ?? string.Empty));
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
            Assert.DoesNotContain("zoe@example.com", text, StringComparison.Ordinal);
            Assert.DoesNotContain("zoe-42", text, StringComparison.Ordinal);
        }
    }
}
