using System.Collections.Concurrent;
using System.Text.Json;
using HyOpps.TestUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class TypedStepInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record SignUp(string Email, string OrgId);

    public sealed record Welcome(string Recipient, string Link, string? AccountId = null)
    {
        [Secret]
        public string? Password { get; init; }

        public string? ApiToken { get; init; }
    }

    /// <summary>The host's current data, changed by a test between attempts.</summary>
    public sealed class OrgLinks
    {
        public ConcurrentDictionary<string, string> Links { get; } = new();
    }

    /// <summary>Records what each attempt was given.</summary>
    public sealed class Received
    {
        public ConcurrentQueue<Welcome> Inputs { get; } = new();
    }

    public sealed class SendWelcomeStep(Received received) : IWorkflowStep<Welcome>
    {
        public ValueTask<StepResult> ExecuteAsync(Welcome input, StepContext context, CancellationToken cancellationToken)
        {
            received.Inputs.Enqueue(input);
            return input.Link.StartsWith("https://", StringComparison.Ordinal)
                ? ValueTask.FromResult(StepResult.Succeeded(new { Sent = input.Link }))
                : throw StepException.Permanent($"The link '{input.Link}' is not an https URL: fix the org's links, then retry.");
        }
    }

    private static Action<IServiceCollection> Services(OrgLinks links, Received received)
        => s => s.AddSingleton(links).AddSingleton(received);

    private static void Flow(WorkflowBuilder wf, Action<StepBuilder<Welcome>>? more = null) => wf
        .Step("create_account", (c, _) => ValueTask.FromResult(StepResult.Succeeded(new { AccountId = "acc-" + c.GetInput<SignUp>().OrgId })))
        .Step<SendWelcomeStep>("send_welcome", s =>
        {
            var typed = s.Input((context, _) =>
            {
                var input = context.GetInput<SignUp>();
                var links = context.Services.GetRequiredService<OrgLinks>();
                return ValueTask.FromResult(new Welcome(input.Email, links.Links[input.OrgId], context.GetOutput<Created>("create_account").AccountId)
                {
                    Password = "hunter2-secret",
                    ApiToken = "tok-secret",
                });
            });
            more?.Invoke(typed);
        });

    public sealed record Created(string AccountId);

    [Fact]
    public async Task Retry_AfterTheHostFixedItsData_MapsAgainAndRecordsEachAttemptsInput()
    {
        var links = new OrgLinks();
        links.Links["org-1"] = "htp:/broken";
        var received = new Received();
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", wf => Flow(wf)), services: Services(links, received));

        var id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-1"), cancellationToken: Ct)).ExecutionId;
        var failed = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);

        links.Links["org-1"] = "https://docs.example/org-1";
        await host.Client.RetryAsync(id, new OperatorAction("admin", "links fixed"), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(["htp:/broken", "https://docs.example/org-1"], received.Inputs.Select(i => i.Link));
        Assert.All(received.Inputs, i => Assert.Equal("acc-org-1", i.AccountId));
        var recorded = done.GetStep("send_welcome").Attempts.Select(a => a.Input!.Value.GetProperty("link").GetString());
        Assert.Equal(["htp:/broken", "https://docs.example/org-1"], recorded);
        Assert.Null(done.GetStep("create_account").Attempts.Single().Input);
    }

    [Fact]
    public async Task Attempt_InputWithSecrets_StepGetsThemButTheStoreAndLogsNever()
    {
        var links = new OrgLinks();
        links.Links["org-1"] = "https://docs.example/org-1";
        var received = new Received();
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", wf => Flow(wf)), services: Services(links, received));

        var id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-1"), cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var given = Assert.Single(received.Inputs);
        Assert.Equal(("hunter2-secret", "tok-secret"), (given.Password, given.ApiToken));
        var stored = done.GetStep("send_welcome").Attempts.Single().Input!.Value.GetRawText();
        Assert.Contains("ada@example.com", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-secret", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains("hunter2", StringComparison.Ordinal) || r.Message.Contains("tok-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mapping_Throws_FailsPermanentlyNamingTheStepWithoutRetries()
    {
        var received = new Received();
        await using var host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("welcome", wf => wf.Step<SendWelcomeStep>("send_welcome", s => s
                .WithRetry(new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.FromMilliseconds(1) })
                .Input<Welcome>(_ => throw new KeyNotFoundException("Org 'org-9' was not found.")))),
            services: Services(new OrgLinks(), received));

        var id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-9"), cancellationToken: Ct)).ExecutionId;
        var failed = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(StepErrorTypes.InvalidInput, failed.ErrorType);
        Assert.Contains("Step 'send_welcome' could not get its input (Welcome) from its input mapping: Org 'org-9' was not found.", failed.Error, StringComparison.Ordinal);
        Assert.Single(failed.GetStep("send_welcome").Attempts);
        Assert.Empty(received.Inputs);
    }

    [Fact]
    public async Task When_OnTheMappedInput_SkipsWithTheReasonAndRecordsTheInput()
    {
        var links = new OrgLinks();
        links.Links["org-1"] = string.Empty;
        var received = new Received();
        await using var host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("welcome", wf => Flow(wf, s => s.When(i => i.Link.Length > 0, "The org has no documentation link."))),
            services: Services(links, received));

        var id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-1"), cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var step = done.GetStep("send_welcome");
        Assert.Equal(StepStatus.Skipped, step.Status);
        Assert.Equal("The org has no documentation link.", step.Output!.Value.GetProperty("reason").GetString());
        Assert.Equal(string.Empty, step.Attempts.Single().Input!.Value.GetProperty("link").GetString());
        Assert.Empty(received.Inputs);
    }

    [Fact]
    public async Task When_ReadingCurrentData_IsEvaluatedAtEachAttempt_SoRetryAfterAFixSkips()
    {
        var links = new OrgLinks();
        links.Links["org-1"] = "htp:/broken";
        var received = new Received();
        await using var host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("welcome", wf => Flow(wf, s => s.When(
                static (_, c, _) => ValueTask.FromResult(!c.Services.GetRequiredService<OrgLinks>().Links.ContainsKey("org-1:opted-out")),
                "The org opted out of welcome emails."))),
            services: Services(links, received));
        var id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-1"), cancellationToken: Ct)).ExecutionId;
        Assert.Equal(ExecutionStatus.Failed, (await host.Client.WaitForCompletionAsync(id, Ct)).Status);

        links.Links["org-1:opted-out"] = "yes";
        await host.Client.RetryAsync(id, new OperatorAction("admin", "the org opted out"), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var step = done.GetStep("send_welcome");
        Assert.Equal(StepStatus.Skipped, step.Status);
        Assert.Equal("The org opted out of welcome emails.", step.Output!.Value.GetProperty("reason").GetString());
        Assert.Single(received.Inputs);
    }

    [Fact]
    public async Task Attempt_CutShort_ItsInputIsInTheStoreFromTheStart_Scrubbed()
    {
        using var database = new TestDatabase();
        using var running = new SemaphoreSlim(0);
        string id;
        await using (var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", HangingFlow), services: s => s.AddSingleton(running), connectionString: database.ConnectionString))
        {
            id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-1"), cancellationToken: Ct)).ExecutionId;
            Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(30), Ct), "the step did not start");

            // What a crash at this instant leaves in the store: the running attempt, with the input it was given.
            await using var reader = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", HangingFlow), o => o.RunWorker = false, services: s => s.AddSingleton(running), connectionString: database.ConnectionString);
            var attempt = (await reader.Client.GetAsync(id, Ct))!.GetStep("send_welcome").Attempts.Single();
            Assert.Equal(AttemptOutcome.Running, attempt.Outcome);
            AssertRecorded(attempt.Input!.Value.GetRawText());
        }

        await using var after = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", HangingFlow), o => o.RunWorker = false, services: s => s.AddSingleton(running), connectionString: database.ConnectionString);
        var abandoned = (await after.Client.GetAsync(id, Ct))!.GetStep("send_welcome").Attempts.Single();
        Assert.Equal(AttemptOutcome.Abandoned, abandoned.Outcome);
        AssertRecorded(abandoned.Input!.Value.GetRawText());

        static void AssertRecorded(string input)
        {
            Assert.Contains("https://docs.example/org-1", input, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", input, StringComparison.Ordinal);
            Assert.DoesNotContain("tok-secret", input, StringComparison.Ordinal);
        }
    }

    /// <summary>Records the attempt number each attempt's mapping and body saw.</summary>
    public sealed class AttemptLog
    {
        public ConcurrentQueue<int> Mapped { get; } = new();

        public ConcurrentQueue<int> Ran { get; } = new();
    }

    /// <summary>Fails its first attempt with a transient error, so the runtime retries it.</summary>
    public sealed class FlakyWelcomeStep(AttemptLog log) : IWorkflowStep<Welcome>
    {
        public ValueTask<StepResult> ExecuteAsync(Welcome input, StepContext context, CancellationToken cancellationToken)
        {
            log.Ran.Enqueue(context.Attempt);
            return context.Attempt == 1
                ? throw StepException.Transient("The mail server is busy.")
                : ValueTask.FromResult(StepResult.Succeeded());
        }
    }

    [Fact]
    public async Task Mapping_OnAnAutomaticRetry_SeesTheAttemptNumberTheStepRunsAs()
    {
        var log = new AttemptLog();
        await using var host = await WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("welcome", wf => wf.Step<FlakyWelcomeStep>("send_welcome", s => s
                .WithRetry(new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.Zero, UseJitter = false })
                .Input(c =>
                {
                    log.Mapped.Enqueue(c.Attempt);
                    return new Welcome(c.GetInput<SignUp>().Email, $"https://docs.example/attempt-{c.Attempt}");
                }))),
            services: s => s.AddSingleton(log));

        var id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-1"), cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal([1, 2], log.Mapped);
        Assert.Equal([1, 2], log.Ran);
        var step = done.GetStep("send_welcome");
        Assert.Equal([1, 2], step.Attempts.Select(a => a.Number));
        Assert.Equal(
            ["https://docs.example/attempt-1", "https://docs.example/attempt-2"],
            step.Attempts.Select(a => a.Input!.Value.GetProperty("link").GetString()));
    }

    private static void HangingFlow(WorkflowBuilder wf) => wf.Step<HangingWelcomeStep>("send_welcome", s => s
        .Input(c => new Welcome(c.GetInput<SignUp>().Email, "https://docs.example/org-1") { Password = "hunter2-secret", ApiToken = "tok-secret" }));

    /// <summary>Takes its input and then never finishes, like a step whose host dies under it.</summary>
    public sealed class HangingWelcomeStep(SemaphoreSlim running) : IWorkflowStep<Welcome>
    {
        public async ValueTask<StepResult> ExecuteAsync(Welcome input, StepContext context, CancellationToken cancellationToken)
        {
            running.Release();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return StepResult.Succeeded();
        }
    }

    [Fact]
    public async Task RerunFrom_WithAnInputOverride_TheOverrideIsTheStepsInputAndTheMappingDoesNotRun()
    {
        var links = new OrgLinks();
        links.Links["org-1"] = "https://docs.example/org-1";
        var received = new Received();
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", wf => Flow(wf)), services: Services(links, received));
        var id = (await host.Client.StartAsync("welcome", new SignUp("ada@example.com", "org-1"), cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);
        links.Links.Clear();

        using var over = JsonDocument.Parse("""{"recipient": "grace@example.com", "link": "https://docs.example/override"}""");
        await host.Client.RerunFromAsync(id, "send_welcome", new OperatorAction("admin"), over.RootElement, Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(new Welcome("grace@example.com", "https://docs.example/override"), received.Inputs.Last());
        Assert.Equal("grace@example.com", done.GetStep("send_welcome").Attempts.Last().Input!.Value.GetProperty("recipient").GetString());
    }

    [Fact]
    public async Task TypedStep_WithoutAMapping_ReadsTheWorkflowInput()
    {
        var received = new Received();
        await using var host = await WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", wf => wf.Step<SendWelcomeStep>("send_welcome")), services: Services(new OrgLinks(), received));

        var id = (await host.Client.StartAsync("welcome", new Welcome("ada@example.com", "https://docs.example/a"), cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal("https://docs.example/a", Assert.Single(received.Inputs).Link);
        Assert.NotNull(done.GetStep("send_welcome").Attempts.Single().Input);
    }

    [Fact]
    public async Task Input_OfAnotherTypeThanTheStepTakes_HostStartFailsNamingStepAndTypes()
    {
        var ex = await Assert.ThrowsAsync<WorkflowDefinitionException>(() => WorkflowTestHost.StartAsync(h => h.AddWorkflow("welcome", wf => wf
            .Step<SendWelcomeStep>("send_welcome", s => s.Input(_ => new SignUp("a", "b"))))));

        Assert.Contains("'send_welcome'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SignUp", ex.Message, StringComparison.Ordinal);
        Assert.Contains("takes Welcome", ex.Message, StringComparison.Ordinal);
    }
}
