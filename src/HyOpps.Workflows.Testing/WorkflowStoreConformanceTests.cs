using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Xunit;

namespace HyOpps.Workflows.Testing;

/// <summary>The behaviour every <see cref="IWorkflowStore"/> must have; a store's test class derives from this.</summary>
public abstract partial class WorkflowStoreConformanceTests : IAsyncLifetime
{
    /// <summary>Gets the instant the tests' records are created at.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private IWorkflowStore? _store;

    /// <summary>Gets the store under test, created by <see cref="CreateStoreAsync"/> for each test.</summary>
    protected IWorkflowStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Gets the current test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates an empty store for one test; the base class calls <see cref="IWorkflowStore.InitializeAsync"/>.</summary>
    protected abstract Task<IWorkflowStore> CreateStoreAsync();

    /// <summary>Disposes a store made by <see cref="CreateStoreAsync"/> and deletes what it wrote.</summary>
    protected abstract ValueTask DisposeStoreAsync(IWorkflowStore store);

    /// <summary>Creates and initializes the store.</summary>
    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync(Ct);
    }

    /// <summary>Disposes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Builds a pending execution record.</summary>
    protected static ExecutionRecord NewExecution(string id, string? key = null, IReadOnlyDictionary<string, string>? labels = null, DateTimeOffset? at = null, string workflow = "wf") => new()
    {
        Id = id,
        WorkflowName = workflow,
        WorkflowVersion = 1,
        Status = ExecutionStatus.Pending,
        Input = "{\"n\":1}",
        IdempotencyKey = key,
        Labels = labels ?? new Dictionary<string, string>(),
        CreatedAt = at ?? T0,
        UpdatedAt = at ?? T0,
    };

    /// <summary>Builds the pending steps <c>s0</c>, <c>s1</c>, ... of an execution.</summary>
    protected static StepRecord[] Steps(string id, int count = 2)
        => Enumerable.Range(0, count).Select(i => new StepRecord { ExecutionId = id, Index = i, StepId = $"s{i}" }).ToArray();

    /// <summary>Creates a pending execution with two steps in the store.</summary>
    protected Task<CreateExecutionResult> CreateAsync(string id, string? key = null, IReadOnlyDictionary<string, string>? labels = null, DateTimeOffset? at = null, string workflow = "wf")
        => Store.CreateExecutionAsync(NewExecution(id, key, labels, at, workflow), Steps(id), [], Ct).AsTask();

    /// <summary>Checks that a created execution reads back with its input, key, labels, steps and audit.</summary>
    [Fact]
    public async Task CreateExecution_ThenGet_RoundTripsEverything()
    {
        var audit = new AuditRecord { ExecutionId = "e1", At = T0, Actor = "ops", Action = "start", Detail = "wf v1" };
        var result = await Store.CreateExecutionAsync(NewExecution("e1", "key-1", new Dictionary<string, string> { ["org"] = "42" }), Steps("e1"), [audit], Ct);

        Assert.True(result.Created);
        var snapshot = await Store.GetExecutionAsync("e1", Ct);
        Assert.NotNull(snapshot);
        Assert.Equal("wf", snapshot.Execution.WorkflowName);
        Assert.Equal("{\"n\":1}", snapshot.Execution.Input);
        Assert.Equal("key-1", snapshot.Execution.IdempotencyKey);
        Assert.Equal("42", snapshot.Execution.Labels["org"]);
        Assert.Equal(T0, snapshot.Execution.CreatedAt);
        Assert.Equal(ExecutionStatus.Pending, snapshot.Execution.Status);
        Assert.Equal(["s0", "s1"], snapshot.Steps.Select(s => s.StepId));
        Assert.Equal(audit, Assert.Single(snapshot.Audit));
    }

    /// <summary>Checks that a second execution with a used idempotency key returns the first.</summary>
    [Fact]
    public async Task CreateExecution_SameIdempotencyKey_ReturnsExisting()
    {
        await CreateAsync("e1", "same");
        var second = await CreateAsync("e2", "same");
        var otherWorkflow = await CreateAsync("e3", "same", workflow: "other");

        Assert.False(second.Created);
        Assert.Equal("e1", second.Execution.Id);
        Assert.True(otherWorkflow.Created);
        Assert.Null(await Store.GetExecutionAsync("e2", Ct));
    }

    /// <summary>Checks that an unknown execution id reads as null.</summary>
    [Fact]
    public async Task GetExecution_Unknown_ReturnsNull()
        => Assert.Null(await Store.GetExecutionAsync("missing", Ct));

    /// <summary>Checks that a leased execution is not claimed again.</summary>
    [Fact]
    public async Task Claim_TakesEachExecutionOnceWhileLeased()
    {
        await CreateAsync("e1");
        await CreateAsync("e2");

        var a = await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 10), Ct);
        var b = await Store.ClaimAsync(new ClaimRequest("B", T0.AddSeconds(30), TimeSpan.FromMinutes(1), 10), Ct);

        Assert.Equal(["e1", "e2"], a.Select(c => c.Execution.Id).Order());
        Assert.Empty(b);
        Assert.All(a, c => Assert.Equal("A", c.Execution.LeaseOwner));
        Assert.All(a, c => Assert.Equal(2, c.Steps.Count));
    }

    /// <summary>Checks that a claim takes at most the requested number of executions.</summary>
    [Fact]
    public async Task Claim_RespectsMaxCount()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateAsync($"e{i}");
        }

        Assert.Equal(2, (await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 2), Ct)).Count);
        Assert.Equal(3, (await Store.ClaimAsync(new ClaimRequest("B", T0, TimeSpan.FromMinutes(1), 10), Ct)).Count);
    }

    /// <summary>Checks that an expired lease is claimed with a new fencing token and the old holder can no longer commit.</summary>
    [Fact]
    public async Task Claim_ExpiredLease_IsTakenWithNewFencingToken_OldHolderCannotCommit()
    {
        await CreateAsync("e1");
        var first = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        var second = Assert.Single(await Store.ClaimAsync(new ClaimRequest("B", T0.AddMinutes(2), TimeSpan.FromMinutes(1), 1), Ct));

        Assert.True(second.Execution.FencingToken > first.Execution.FencingToken);
        var stale = new ExecutionCommit
        {
            Execution = first.Execution with { Status = ExecutionStatus.Succeeded },
            ExpectedFencingToken = first.Execution.FencingToken,
        };
        Assert.False(await Store.CommitAsync(stale, Ct));
        Assert.False(await Store.RenewLeaseAsync("e1", first.Execution.FencingToken, T0.AddMinutes(5), Ct));
        Assert.True(await Store.RenewLeaseAsync("e1", second.Execution.FencingToken, T0.AddMinutes(5), Ct));
        var fresh = new ExecutionCommit
        {
            Execution = second.Execution with { Status = ExecutionStatus.Succeeded, LeaseOwner = null, LeaseExpiresAt = null },
            ExpectedFencingToken = second.Execution.FencingToken,
        };
        Assert.True(await Store.CommitAsync(fresh, Ct));
        Assert.Equal(ExecutionStatus.Succeeded, (await Store.GetExecutionAsync("e1", Ct))!.Execution.Status);
    }

    /// <summary>Checks that an execution due later is not claimed.</summary>
    [Fact]
    public async Task Claim_NotYetDue_IsNotTaken()
    {
        await CreateAsync("e1");
        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        var later = claim.Execution with { Status = ExecutionStatus.Pending, NextRunAt = T0.AddMinutes(5), LeaseOwner = null, LeaseExpiresAt = null };
        Assert.True(await Store.CommitAsync(new ExecutionCommit { Execution = later, ExpectedFencingToken = claim.Execution.FencingToken }, Ct));

        Assert.Empty(await Store.ClaimAsync(new ClaimRequest("A", T0.AddMinutes(4), TimeSpan.FromMinutes(1), 1), Ct));
        Assert.Equal(T0.AddMinutes(5), await Store.GetNextWakeTimeAsync(Ct));
        Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0.AddMinutes(5), TimeSpan.FromMinutes(1), 1), Ct));
    }

    /// <summary>Checks that an execution created with a start time in the future is neither claimed nor woken for before then, lists as scheduled, and runs once an operator clears the time.</summary>
    [Fact]
    public async Task CreateExecution_Scheduled_IsNotClaimedBeforeItsTime_AndListsAsScheduled()
    {
        var at = T0.AddDays(3);
        await Store.CreateExecutionAsync(NewExecution("later") with { NextRunAt = at, WaitingReason = "Scheduled start." }, Steps("later"), [], Ct);
        await Store.CreateExecutionAsync(NewExecution("soon") with { NextRunAt = T0.AddDays(5), WaitingReason = "Scheduled start." }, Steps("soon"), [], Ct);
        await CreateAsync("now", at: T0.AddSeconds(1));

        Assert.Equal("now", Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0.AddDays(1), TimeSpan.FromDays(30), 10), Ct)).Execution.Id);
        Assert.Empty(await Store.ClaimAsync(new ClaimRequest("A", at.AddMilliseconds(-1), TimeSpan.FromMinutes(1), 10), Ct));
        var scheduled = await Store.ListExecutionsAsync(new ExecutionQuery { NextRunAfter = T0.AddDays(1), Statuses = [ExecutionStatus.Pending] }, Ct);
        Assert.Equal(2, scheduled.Total);
        Assert.Equal(["later", "soon"], scheduled.Items.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["soon"], (await Store.ListExecutionsAsync(new ExecutionQuery { NextRunAfter = at }, Ct)).Items.Select(e => e.Id));

        // Start now: an operator's commit clears the time and the execution is due at once.
        var soon = (await Store.GetExecutionRecordAsync("soon", Ct))!;
        Assert.True(await Store.CommitAsync(new ExecutionCommit { Execution = soon with { NextRunAt = null, WaitingReason = null, UpdatedAt = T0.AddDays(1) }, ExpectedVersion = soon.Version }, Ct));
        Assert.Equal("soon", Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0.AddDays(1), TimeSpan.FromDays(30), 10), Ct)).Execution.Id);
        Assert.Equal("later", Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", at, TimeSpan.FromMinutes(1), 10), Ct)).Execution.Id);
    }

    /// <summary>Checks that the current-step filter matches the step an execution runs next or failed at, with the other filters.</summary>
    [Fact]
    public async Task List_ByCurrentStep_MatchesTheStepItStoppedAt()
    {
        await CreateAsync("at-s0");
        await CreateAsync("at-s1", labels: new Dictionary<string, string> { ["org"] = "42" });
        await CreateAsync("at-s1-other", labels: new Dictionary<string, string> { ["org"] = "7" });
        foreach (var id in new[] { "at-s1", "at-s1-other" })
        {
            var row = (await Store.GetExecutionRecordAsync(id, Ct))!;
            Assert.True(await Store.CommitAsync(new ExecutionCommit { Execution = row with { Status = ExecutionStatus.Failed, CurrentStepIndex = 1 }, ExpectedVersion = row.Version }, Ct));
        }

        var failedAtS1 = await Store.ListExecutionsAsync(new ExecutionQuery { Statuses = [ExecutionStatus.Failed], CurrentStepId = "s1" }, Ct);
        var scoped = await Store.ListExecutionsAsync(new ExecutionQuery { CurrentStepId = "s1", Labels = new Dictionary<string, string> { ["org"] = "42" } }, Ct);

        Assert.Equal(["at-s1", "at-s1-other"], failedAtS1.Items.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(2, failedAtS1.Total);
        Assert.Equal("at-s1", Assert.Single(scoped.Items).Id);
        Assert.Equal("at-s0", Assert.Single((await Store.ListExecutionsAsync(new ExecutionQuery { CurrentStepId = "s0" }, Ct)).Items).Id);
        Assert.Equal(0, (await Store.ListExecutionsAsync(new ExecutionQuery { CurrentStepId = "nope" }, Ct)).Total);
    }

    /// <summary>Checks that a claim returns the attempts a crashed worker left running.</summary>
    [Fact]
    public async Task Claim_ReturnsAttemptsLeftRunning()
    {
        await CreateAsync("e1");
        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        var attempt = new AttemptRecord { ExecutionId = "e1", StepIndex = 0, StepId = "s0", Run = 1, Number = 1, StartedAt = T0, Outcome = AttemptOutcome.Running, WorkerId = "A" };
        Assert.True(await Store.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution with { Status = ExecutionStatus.Running },
            ExpectedFencingToken = claim.Execution.FencingToken,
            Attempts = [attempt],
            Steps = [claim.Steps[0] with { Status = StepStatus.Running, Attempts = 1 }],
        }, Ct));

        var recovered = Assert.Single(await Store.ClaimAsync(new ClaimRequest("B", T0.AddMinutes(2), TimeSpan.FromMinutes(1), 1), Ct));
        Assert.Equal(attempt, Assert.Single(recovered.RunningAttempts));
        Assert.Equal(1, recovered.Steps[0].Attempts);
    }

    /// <summary>Checks that non-ASCII text in outputs and errors reads back unchanged.</summary>
    [Fact]
    public async Task Commit_NonAsciiText_RoundTripsUnchanged()
    {
        const string text = "Zoë Ångström 日本語 🚀 \"quoted\" \u0000 end";
        await CreateAsync("e1");
        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        var output = System.Text.Json.JsonSerializer.Serialize(new { name = text });
        Assert.True(await Store.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution with { Status = ExecutionStatus.Running, WaitingReason = text },
            ExpectedFencingToken = claim.Execution.FencingToken,
            Steps = [claim.Steps[0] with { Status = StepStatus.Succeeded, Output = output, Error = text }],
            Attempts = [new AttemptRecord { ExecutionId = "e1", StepIndex = 0, StepId = "s0", Run = 1, Number = 1, StartedAt = T0, Outcome = AttemptOutcome.Failed, Error = text }],
            Audit = [new AuditRecord { ExecutionId = "e1", At = T0, Actor = text, Action = "note", Reason = text }],
        }, Ct));

        var snapshot = (await Store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal(text, snapshot.Execution.WaitingReason);
        Assert.Equal(output, snapshot.Steps[0].Output);
        Assert.Equal(text, snapshot.Steps[0].Error);
        Assert.Equal(text, Assert.Single(snapshot.Attempts).Error);
        Assert.Contains(snapshot.Audit, a => a.Actor == text && a.Reason == text);
    }

    /// <summary>Checks that each attempt keeps the input it was given, through later updates of the attempt, and that an attempt without one reads back none.</summary>
    [Fact]
    public async Task Commit_AttemptInputs_RoundTripPerAttempt()
    {
        await CreateAsync("e1");
        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        const string oldInput = "{\"links\":[{\"title\":\"Guide\",\"url\":\"htp:/broken\"}]}";
        const string newInput = "{\"links\":[{\"title\":\"Guide ✓\",\"url\":\"https://docs.example/guide\"}]}";
        var first = new AttemptRecord { ExecutionId = "e1", StepIndex = 0, StepId = "s0", Run = 1, Number = 1, StartedAt = T0, Outcome = AttemptOutcome.Running, Input = oldInput };
        Assert.True(await Store.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution with { Status = ExecutionStatus.Running },
            ExpectedFencingToken = claim.Execution.FencingToken,
            Attempts = [first],
        }, Ct));
        var second = first with { Number = 2, Input = newInput, Outcome = AttemptOutcome.Succeeded, EndedAt = T0.AddSeconds(2), Output = "{\"ok\":true}" };
        var untyped = new AttemptRecord { ExecutionId = "e1", StepIndex = 1, StepId = "s1", Run = 1, Number = 1, StartedAt = T0, Outcome = AttemptOutcome.Succeeded };
        Assert.True(await Store.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution with { Status = ExecutionStatus.Running },
            ExpectedFencingToken = claim.Execution.FencingToken,
            Attempts = [first with { Outcome = AttemptOutcome.Failed, EndedAt = T0.AddSeconds(1), Error = "bad links" }, second, untyped],
        }, Ct));

        var attempts = (await Store.GetExecutionAsync("e1", Ct))!.Attempts;
        Assert.Equal([oldInput, newInput, null], attempts.Select(a => a.Input));
        Assert.Equal(AttemptOutcome.Failed, attempts[0].Outcome);
    }

    /// <summary>Checks that a batch read returns the known executions and leaves out unknown ids.</summary>
    [Fact]
    public async Task GetExecutionRecords_ReturnsTheRowsFoundAndLeavesOutUnknownIds()
    {
        await CreateAsync("e1");
        await CreateAsync("e2");
        await CreateAsync("e3");

        var rows = await Store.GetExecutionRecordsAsync(["e3", "missing", "e1"], Ct);

        Assert.Equal(["e1", "e3"], rows.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await Store.GetExecutionRecordsAsync([], Ct));
    }

    /// <summary>Checks that an execution created leased is claimable only after its lease expires.</summary>
    [Fact]
    public async Task CreateExecution_WithALease_IsClaimableOnlyOnceTheLeaseExpires()
    {
        var leased = NewExecution("e1") with { LeaseOwner = "A", LeaseExpiresAt = T0.AddMinutes(1) };
        var created = await Store.CreateExecutionAsync(leased, Steps("e1"), [], Ct);
        Assert.Equal("A", created.Execution.LeaseOwner);
        Assert.Equal(0, created.Execution.FencingToken);

        Assert.Empty(await Store.ClaimAsync(new ClaimRequest("B", T0.AddSeconds(30), TimeSpan.FromMinutes(1), 10), Ct));
        Assert.True(await Store.CommitAsync(new ExecutionCommit { Execution = created.Execution with { Status = ExecutionStatus.Running }, ExpectedFencingToken = 0 }, Ct));

        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("B", T0.AddMinutes(2), TimeSpan.FromMinutes(1), 10), Ct));
        Assert.Equal("B", claim.Execution.LeaseOwner);
        Assert.False(await Store.CommitAsync(new ExecutionCommit { Execution = created.Execution with { Status = ExecutionStatus.Running }, ExpectedFencingToken = 0 }, Ct));
    }

    /// <summary>Checks that a commit guarded by an old version is refused.</summary>
    [Fact]
    public async Task Commit_VersionGuard_RefusesStaleOperatorChange()
    {
        await CreateAsync("e1");
        var snapshot = (await Store.GetExecutionAsync("e1", Ct))!;
        var change = new ExecutionCommit { Execution = snapshot.Execution with { Status = ExecutionStatus.Cancelled }, ExpectedVersion = snapshot.Execution.Version, RevokeLease = true };

        Assert.True(await Store.CommitAsync(change, Ct));
        Assert.False(await Store.CommitAsync(change, Ct));
        var after = (await Store.GetExecutionAsync("e1", Ct))!.Execution;
        Assert.Equal(ExecutionStatus.Cancelled, after.Status);
        Assert.True(after.Version > snapshot.Execution.Version);
        Assert.True(after.FencingToken > snapshot.Execution.FencingToken);
    }

    /// <summary>Checks that a commit writes the execution, steps, attempts and audit together.</summary>
    [Fact]
    public async Task Commit_WritesStepsAttemptsAndAuditAtomically()
    {
        await CreateAsync("e1");
        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        var step = claim.Steps[0] with { Status = StepStatus.Succeeded, Output = "{\"x\":1}", Checkpoint = "{\"c\":2}", Attempts = 1, CompletedAt = T0 };
        var attempt = new AttemptRecord { ExecutionId = "e1", StepIndex = 0, StepId = "s0", Run = 1, Number = 1, StartedAt = T0, EndedAt = T0.AddSeconds(1), Outcome = AttemptOutcome.Succeeded, Output = "{\"x\":1}" };
        var audit = new AuditRecord { ExecutionId = "e1", At = T0, Actor = "ops", Action = "note" };

        Assert.True(await Store.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution with { CurrentStepIndex = 1, Status = ExecutionStatus.Running },
            ExpectedFencingToken = claim.Execution.FencingToken,
            Steps = [step],
            Attempts = [attempt],
            Audit = [audit],
        }, Ct));

        var snapshot = (await Store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal(1, snapshot.Execution.CurrentStepIndex);
        Assert.Equal(step, snapshot.Steps[0]);
        Assert.Equal(attempt, Assert.Single(snapshot.Attempts));
        Assert.Equal(audit, Assert.Single(snapshot.Audit));
    }

    /// <summary>Checks that a commit with neither a lease nor a version guard is refused.</summary>
    [Fact]
    public async Task Commit_WithoutGuard_Throws()
    {
        await CreateAsync("e1");
        var e = (await Store.GetExecutionAsync("e1", Ct))!.Execution;
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.CommitAsync(new ExecutionCommit { Execution = e }, Ct));
    }

    /// <summary>Checks listing by workflow, status, labels and time, newest first, page by page.</summary>
    [Fact]
    public async Task List_FiltersByWorkflowStatusLabelsAndTime_NewestFirstWithPaging()
    {
        await CreateAsync("a", labels: new Dictionary<string, string> { ["org"] = "1" }, at: T0);
        await CreateAsync("b", labels: new Dictionary<string, string> { ["org"] = "2" }, at: T0.AddMinutes(1));
        await CreateAsync("c", labels: new Dictionary<string, string> { ["org"] = "1" }, at: T0.AddMinutes(2), workflow: "other");
        var b = (await Store.GetExecutionAsync("b", Ct))!.Execution;
        await Store.CommitAsync(new ExecutionCommit { Execution = b with { Status = ExecutionStatus.Failed }, ExpectedVersion = b.Version }, Ct);

        var all = await Store.ListExecutionsAsync(new ExecutionQuery(), Ct);
        Assert.Equal(["c", "b", "a"], all.Items.Select(e => e.Id));
        Assert.Equal(3, all.Total);
        Assert.Equal(["c", "a"], (await Store.ListExecutionsAsync(new ExecutionQuery { Labels = new Dictionary<string, string> { ["org"] = "1" } }, Ct)).Items.Select(e => e.Id));
        Assert.Equal(["b", "a"], (await Store.ListExecutionsAsync(new ExecutionQuery { WorkflowName = "wf" }, Ct)).Items.Select(e => e.Id));
        Assert.Equal(["b"], (await Store.ListExecutionsAsync(new ExecutionQuery { Statuses = [ExecutionStatus.Failed] }, Ct)).Items.Select(e => e.Id));
        Assert.Equal(["b"], (await Store.ListExecutionsAsync(new ExecutionQuery { CreatedFrom = T0.AddMinutes(1), CreatedTo = T0.AddMinutes(2) }, Ct)).Items.Select(e => e.Id));
        var page = await Store.ListExecutionsAsync(new ExecutionQuery { Offset = 1, Limit = 1 }, Ct);
        Assert.Equal(["b"], page.Items.Select(e => e.Id));
        Assert.Equal(3, page.Total);
        Assert.Empty((await Store.ListExecutionsAsync(new ExecutionQuery { Labels = new Dictionary<string, string> { ["org"] = "9" } }, Ct)).Items);
    }

    /// <summary>Checks that an empty store has no next wake time.</summary>
    [Fact]
    public async Task NextWakeTime_NothingWaiting_IsNull()
        => Assert.Null(await Store.GetNextWakeTimeAsync(Ct));

    /// <summary>Checks that many concurrent commits are all applied.</summary>
    [Fact]
    public async Task Commit_ManyConcurrent_AllApplied()
    {
        var ids = Enumerable.Range(0, 50).Select(i => $"e{i}").ToArray();
        await Task.WhenAll(ids.Select(id => CreateAsync(id)));
        var claims = await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 100), Ct);

        var results = await Task.WhenAll(claims.Select(c => Store.CommitAsync(new ExecutionCommit
        {
            Execution = c.Execution with { Status = ExecutionStatus.Succeeded, LeaseOwner = null, LeaseExpiresAt = null },
            ExpectedFencingToken = c.Execution.FencingToken,
        }, Ct).AsTask()));

        Assert.Equal(50, results.Length);
        Assert.All(results, Assert.True);
        Assert.Equal(50, (await Store.ListExecutionsAsync(new ExecutionQuery { Statuses = [ExecutionStatus.Succeeded], Limit = 100 }, Ct)).Total);
    }

    /// <summary>Checks that an execution's trace parent reads back and does not change after creation.</summary>
    [Fact]
    public async Task TraceParent_RoundTripsAndIsFixedAtCreation()
    {
        const string trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var created = await Store.CreateExecutionAsync(NewExecution("e1") with { TraceParent = trace }, Steps("e1"), [], Ct);
        Assert.Equal(trace, created.Execution.TraceParent);

        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        Assert.Equal(trace, claim.Execution.TraceParent);
        Assert.True(await Store.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution with { Status = ExecutionStatus.Running, TraceParent = null },
            ExpectedFencingToken = claim.Execution.FencingToken,
        }, Ct));

        Assert.Equal(trace, (await Store.GetExecutionAsync("e1", Ct))!.Execution.TraceParent);
        Assert.Equal(trace, (await Store.GetExecutionRecordAsync("e1", Ct))!.TraceParent);
    }

    /// <summary>Checks that abandoned attempts read back with their step.</summary>
    [Fact]
    public async Task AbandonedAttempts_RoundTripWithTheStep()
    {
        await CreateAsync("e1");
        var claim = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        var step = claim.Steps[0] with { Status = StepStatus.Running, Attempts = 4, AbandonedAttempts = 3 };
        Assert.True(await Store.CommitAsync(new ExecutionCommit { Execution = claim.Execution, ExpectedFencingToken = claim.Execution.FencingToken, Steps = [step] }, Ct));

        Assert.Equal(step, (await Store.GetExecutionAsync("e1", Ct))!.Steps[0]);
        var reclaimed = Assert.Single(await Store.ClaimAsync(new ClaimRequest("B", T0.AddMinutes(2), TimeSpan.FromMinutes(1), 1), Ct));
        Assert.Equal(3, reclaimed.Steps[0].AbandonedAttempts);
    }

    /// <summary>Checks that an empty store reports a current status with nothing due.</summary>
    [Fact]
    public async Task Status_Empty_IsCurrentWithNothingDue()
    {
        var status = await Store.GetStatusAsync(new WorkflowStoreStatusRequest(T0, T0.AddMinutes(-5)), Ct);

        Assert.Equal(new WorkflowStoreStatus(SchemaCurrent: true, DueCount: 0, OldestDueAt: null, StuckCount: 0), status);
    }

    /// <summary>Checks that the status counts due executions, and as stuck those due before the threshold.</summary>
    [Fact]
    public async Task Status_CountsDueExecutionsByDueTime_AndStuckOnesDueBeforeTheThreshold()
    {
        // Leased, lease expired at T0+1m and not claimed again: due since the expiry.
        await CreateAsync("lost", at: T0);
        var lost = Assert.Single(await Store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1), Ct));
        Assert.Equal("lost", lost.Execution.Id);

        // Created and never claimed: due since its creation.
        await CreateAsync("new", at: T0);

        // Waiting for a retry at T0+20m: not due before then.
        await CreateAsync("later", at: T0);
        var later = (await Store.GetExecutionAsync("later", Ct))!.Execution;
        Assert.True(await Store.CommitAsync(new ExecutionCommit { Execution = later with { NextRunAt = T0.AddMinutes(20) }, ExpectedVersion = later.Version }, Ct));

        // Settled: never due.
        await CreateAsync("done", at: T0);
        var done = (await Store.GetExecutionAsync("done", Ct))!.Execution;
        Assert.True(await Store.CommitAsync(new ExecutionCommit { Execution = done with { Status = ExecutionStatus.Succeeded }, ExpectedVersion = done.Version }, Ct));

        var status = await Store.GetStatusAsync(new WorkflowStoreStatusRequest(T0.AddMinutes(10), T0.AddSeconds(30)), Ct);

        Assert.True(status.SchemaCurrent);
        Assert.Equal(2, status.DueCount);
        Assert.Equal(T0, status.OldestDueAt);
        Assert.Equal(1, status.StuckCount);

        var laterStatus = await Store.GetStatusAsync(new WorkflowStoreStatusRequest(T0.AddMinutes(30), T0.AddMinutes(5)), Ct);
        Assert.Equal(3, laterStatus.DueCount);
        Assert.Equal(2, laterStatus.StuckCount);
    }
}
