using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using HyOpps.TestUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class SecretsTelemetryAndTimeTests
{
    private const string SecretValue = "s3cr3t-Value-That-Must-Not-Leak";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record LoginInput(string User, [property: Secret] string Credential, string Password);

    public sealed record LoginOutput(string Session, [property: Secret] string Token);

    [Fact]
    public async Task Secrets_InInputOutputAndCheckpoint_NeverStoredOrLogged()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("login", wf => wf
            .Step("login", async (c, ct) =>
            {
                await c.SaveCheckpointAsync(new { Stage = "called", ApiKey = SecretValue }, ct);
                return StepResult.Succeeded(new LoginOutput("session-1", SecretValue));
            })
            .Step("raw", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new System.Text.Json.Nodes.JsonObject { ["client_secret"] = SecretValue, ["ok"] = true })))));

        var id = (await host.Client.StartAsync("login", new LoginInput("ada", SecretValue, SecretValue), cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal("ada", done.Input.GetProperty("user").GetString());
        Assert.False(done.Input.TryGetProperty("credential", out _));
        Assert.False(done.Input.TryGetProperty("password", out _));
        Assert.Equal("session-1", done.GetStep("login").Output!.Value.GetProperty("session").GetString());
        Assert.True(done.GetStep("raw").Output!.Value.GetProperty("ok").GetBoolean());
        Assert.DoesNotContain(SecretValue, JsonSerializer.Serialize(done), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains(SecretValue, StringComparison.Ordinal)
            || (r.Exception?.ToString().Contains(SecretValue, StringComparison.Ordinal) ?? false));
        Assert.False(DatabaseContains(host.ConnectionString, SecretValue));
    }

    [Fact]
    public async Task Logs_CarryExecutionAndStepIds()
    {
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("greeting", wf => wf
            .Step("log", (c, _) =>
            {
                c.Logger.LogInformation("inside the step");
                return ValueTask.FromResult(StepResult.Succeeded());
            })));

        var id = (await host.Client.StartJsonAsync("greeting", "{}", cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);

        var record = Assert.Single(host.Logs.GetSnapshot(), r => r.Message == "inside the step");
        var scope = Assert.Single(record.Scopes.OfType<IEnumerable<KeyValuePair<string, object>>>());
        Assert.Contains(new KeyValuePair<string, object>("ExecutionId", id), scope);
        Assert.Contains(new KeyValuePair<string, object>("StepId", "log"), scope);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Message.Contains(id, StringComparison.Ordinal) && r.Message.Contains("Succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Telemetry_StepActivitiesAndMetersNamedHyOppsWorkflows()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "HyOpps.Workflows",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentBag<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "HyOpps.Workflows")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, _, _, _) => measurements.Add(instrument.Name));
        meters.SetMeasurementEventCallback<double>((instrument, _, _, _) => measurements.Add(instrument.Name));
        meters.Start();

        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("greeting", wf => wf.Step<GreetStep>()));
        var id = (await host.Client.StartAsync("greeting", new GreetingInput("Ada"), cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Contains(activities, a => a.OperationName == "hyopps.step" && (string?)a.GetTagItem("hyopps.execution_id") == id && (string?)a.GetTagItem("hyopps.step_id") == "greet");
        Assert.Contains("hyopps.executions.started", measurements);
        Assert.Contains("hyopps.step.attempts", measurements);
        Assert.Contains("hyopps.step.duration", measurements);
    }

    [Fact]
    public async Task Backoff_WithFakeClock_WaitsUntilDueAndSaysWhy()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var calls = 0;
        await using var host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("flaky", wf => wf.Step("call", (_, _) => ++calls == 1
                ? throw StepException.Transient("HTTP 503 from Metabase", StepErrorTypes.RateLimited, retryAfter: TimeSpan.FromMinutes(2))
                : ValueTask.FromResult(StepResult.Succeeded()),
                s => s.WithRetry(new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(10), UseJitter = false }))),
            time: time);

        var id = (await host.Client.StartJsonAsync("flaky", "{}", cancellationToken: Ct)).ExecutionId;
        var waiting = await Eventually.UntilAsync(() => host.Client.GetAsync(id, Ct)!, d => d!.Status == ExecutionStatus.Pending && d.NextRunAt is not null, "the retry to be scheduled");

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(2), waiting!.NextRunAt);
        Assert.Contains("Waiting to retry step 'call'", waiting.WaitingOn, StringComparison.Ordinal);
        Assert.Contains("HTTP 503 from Metabase", waiting.WaitingOn, StringComparison.Ordinal);
        Assert.Equal(1, calls);

        time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromSeconds(2));
        var done = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Timeout_StepRunsPastIt_IsRetryableTimeout()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("slow", wf => wf.Step("hang", async (_, ct) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return StepResult.Succeeded();
            }, s => s.WithTimeout(TimeSpan.FromSeconds(30)).WithRetry(RetryPolicy.None))),
            o => o.LeaseDuration = TimeSpan.FromHours(1),
            time: time);

        var id = (await host.Client.StartJsonAsync("slow", "{}", cancellationToken: Ct)).ExecutionId;
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        time.Advance(TimeSpan.FromSeconds(31));
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Failed, done.Status);
        Assert.Equal(StepErrorTypes.Timeout, done.ErrorType);
        Assert.Contains("timeout", done.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Checkpoint_SavedInFailedAttempt_ReadByNextAttempt()
    {
        var sent = 0;
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("send", wf => wf.Step("send", async (c, ct) =>
        {
            if (c.GetCheckpoint<SendCheckpoint>() is { Accepted: true } previous)
            {
                return StepResult.Succeeded(new { previous.MessageId, Resent = false });
            }

            sent++;
            await c.SaveCheckpointAsync(new SendCheckpoint($"<{c.IdempotencyKey}@hyopps>", true), ct);
            throw new IOException("connection dropped after the server accepted the message");
        })));

        var id = (await host.Client.StartJsonAsync("send", "{}", cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(1, sent);
        Assert.Equal($"<{id}/send@hyopps>", done.GetStep("send").Output!.Value.GetProperty("message_id").GetString());
    }

    public sealed record SendCheckpoint(string MessageId, bool Accepted);

    private static bool DatabaseContains(string connectionString, string value)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        foreach (var (table, columns) in new[]
        {
            ("executions", "input || COALESCE(error, '') || COALESCE(waiting_reason, '')"),
            ("steps", "COALESCE(output, '') || COALESCE(checkpoint, '') || COALESCE(error, '')"),
            ("attempts", "COALESCE(output, '') || COALESCE(error, '')"),
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE instr({columns}, @v) > 0";
            command.Parameters.AddWithValue("@v", value);
            if ((long)command.ExecuteScalar()! > 0)
            {
                return true;
            }
        }

        return false;
    }
}
