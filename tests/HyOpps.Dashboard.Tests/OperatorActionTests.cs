using System.Net;
using HyOpps.Workflows;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

/// <summary>Each button works end to end: token from the page, POST, 303 back to the page, the runtime acts, the audit names the actor.</summary>
public sealed class OperatorActionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retry_FailedStep_RunsAgainSucceedsAndIsAudited()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("metabase", "Metabase group 7 does not exist.");
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com", Fault: "metabase"));
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, ExecutionPath(id));
        app.Faults.Clear("metabase");

        using var response = await PostAsync(client, ExecutionPath(id) + "/retry", ("__RequestVerificationToken", FormToken(page)), ("reason", "group created"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/hyopps/executions/{id}?done=retry", response.Headers.Location?.OriginalString);
        var done = await app.SettledAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var audit = Assert.Single(done.Audit, a => a.Action == "retry");
        Assert.Equal("alice", audit.Actor);
        Assert.Equal("group created", audit.Reason);

        var (_, after) = await GetAsync(client, response.Headers.Location!.OriginalString);
        Assert.Contains("data-testid=\"flash\">Retry requested", after, StringComparison.Ordinal);
        var step = Step(after, "add_user_to_metabase_group");
        Assert.Contains("data-step-status=\"Succeeded\"", step, StringComparison.Ordinal);
        Assert.Contains("<tr data-run=\"1\" data-attempt=\"1\" data-outcome=\"Failed\">", step, StringComparison.Ordinal);
        Assert.Contains("<tr data-run=\"2\" data-attempt=\"1\" data-outcome=\"Succeeded\">", step, StringComparison.Ordinal);
        Assert.Contains("<tr data-action=\"retry\" data-actor=\"alice\">", after, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"audit-reason\">group created</td>", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerun_FromConfirmationPage_RepeatsTheStepAndLaterOnesAndIsAudited()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, ExecutionPath(id));
        Assert.Contains($"href=\"/hyopps/executions/{id}/rerun?step=add_user_to_metabase_group\" data-testid=\"rerun-link\"", page, StringComparison.Ordinal);

        var (confirmStatus, confirm) = await GetAsync(client, ExecutionPath(id) + "/rerun?step=add_user_to_metabase_group");
        Assert.Equal(HttpStatusCode.OK, confirmStatus);
        Assert.Contains("Re-run from step 2: Add user to Metabase group?", confirm, StringComparison.Ordinal);
        Assert.Contains("<input type=\"checkbox\" name=\"confirm\" value=\"yes\" required data-testid=\"rerun-confirm\"> I understand that 2 step(s) will run again.", confirm, StringComparison.Ordinal);

        using var response = await PostAsync(
            client,
            ExecutionPath(id) + "/rerun",
            ("__RequestVerificationToken", FormToken(confirm)),
            ("step", "add_user_to_metabase_group"),
            ("confirm", "yes"),
            ("reason", "group changed"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var done = await app.SettledAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal([1, 2, 2], done.Steps.Select(s => s.Run));
        Assert.Contains(done.Audit, a => a.Action == "rerun_from" && a.Actor == "alice" && a.Detail == "add_user_to_metabase_group" && a.Reason == "group changed");
        var (_, after) = await GetAsync(client, response.Headers.Location!.OriginalString);
        Assert.Contains("data-step-run=\"2\"", Step(after, "share_documentation"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"step-run\">run 2</span>", Step(after, "add_user_to_metabase_group"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerun_WithoutConfirmation_Answers400AndChangesNothing()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var (_, confirm) = await GetAsync(client, ExecutionPath(id) + "/rerun?step=validate_partner_user");

        using var response = await PostAsync(client, ExecutionPath(id) + "/rerun", ("__RequestVerificationToken", FormToken(confirm)), ("step", "validate_partner_user"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Tick the box to confirm the re-run.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var detail = await app.Workflows.GetAsync(id, Ct);
        Assert.All(detail!.Steps, s => Assert.Equal(1, s.Run));
        Assert.DoesNotContain(detail.Audit, a => a.Action == "rerun_from");
    }

    [Fact]
    public async Task Rerun_UnknownStep_Answers400()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var token = await TokenAsync(client);

        var (confirmStatus, _) = await GetAsync(client, ExecutionPath(id) + "/rerun?step=nope");
        using var response = await PostAsync(client, ExecutionPath(id) + "/rerun", ("__RequestVerificationToken", token), ("step", "nope"), ("confirm", "yes"));

        Assert.Equal(HttpStatusCode.BadRequest, confirmStatus);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Cancel_RunningExecution_StopsItAndIsAudited()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.StartAsync(SlowFlow, new TestInput("a@example.com"), "42");
        await app.RunningAsync(id);
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, ExecutionPath(id));

        using var response = await PostAsync(client, ExecutionPath(id) + "/cancel", ("__RequestVerificationToken", FormToken(page)), ("reason", "wrong person"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var done = await app.SettledAsync(id);
        Assert.Equal(ExecutionStatus.Cancelled, done.Status);
        Assert.Contains(done.Audit, a => a.Action == "cancel" && a.Actor == "alice" && a.Reason == "wrong person");
        var (_, after) = await GetAsync(client, response.Headers.Location!.OriginalString);
        Assert.Contains("data-testid=\"execution-status\">Cancelled</span>", after, StringComparison.Ordinal);
        Assert.Contains("data-outcome=\"Cancelled\"", Step(after, "wait"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"cancel-button\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_ManualStep_ContinuesTheWorkflowAndIsAudited()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, ExecutionPath(id));

        using var response = await PostAsync(client, ExecutionPath(id) + "/approve", ("__RequestVerificationToken", FormToken(page)), ("step", "approve_access"), ("reason", "checked the contract"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var done = await app.SettledAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Contains(done.Audit, a => a.Action == "approve" && a.Actor == "alice" && a.Reason == "checked the contract");
        var (_, after) = await GetAsync(client, response.Headers.Location!.OriginalString);
        Assert.Contains("&quot;approved_by&quot;: &quot;alice&quot;", Step(after, "approve_access"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_ManualStep_FailsTheExecutionWithTheReason()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, ExecutionPath(id));

        using var response = await PostAsync(client, ExecutionPath(id) + "/reject", ("__RequestVerificationToken", FormToken(page)), ("step", "approve_access"), ("reason", "not a partner"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var done = await app.Workflows.GetAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Failed, done!.Status);
        Assert.Contains(done.Audit, a => a.Action == "reject" && a.Actor == "alice" && a.Reason == "not a partner");
        var (_, after) = await GetAsync(client, response.Headers.Location!.OriginalString);
        Assert.Contains("was rejected by alice: not a partner", Step(after, "approve_access"), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"flash\">Step rejected.", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Action_NotAllowedInTheCurrentState_ShowsAReadableMessageWith409()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var token = await TokenAsync(client);

        using var retry = await PostAsync(client, ExecutionPath(id) + "/retry", ("__RequestVerificationToken", token));
        using var approve = await PostAsync(client, ExecutionPath(id) + "/approve", ("__RequestVerificationToken", token));
        var html = await retry.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Contains($"data-testid=\"error-message\">Execution &#x27;{id}&#x27; is Succeeded; only a failed execution can be retried.</p>", html, StringComparison.Ordinal);
        Assert.Contains("data-step-id=\"share_documentation\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Contains("no step is waiting for approval", await approve.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_StalePageNamingAnotherStep_Answers409()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var token = await TokenAsync(client);

        using var response = await PostAsync(client, ExecutionPath(id) + "/approve", ("__RequestVerificationToken", token), ("step", "prepare"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(ExecutionStatus.WaitingForApproval, (await app.Workflows.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Action_ReasonTooLong_Answers400()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var token = await TokenAsync(client);

        using var response = await PostAsync(client, ExecutionPath(id) + "/approve", ("__RequestVerificationToken", token), ("reason", new string('x', 1001)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ExecutionStatus.WaitingForApproval, (await app.Workflows.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task Actor_FromGetActor_IsRecorded()
    {
        await using var app = await DashboardTestApp.StartAsync(o => o.GetActor = c => "ops:" + c.User.Identity!.Name);
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var token = await TokenAsync(client);

        using var response = await PostAsync(client, ExecutionPath(id) + "/approve", ("__RequestVerificationToken", token));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Contains((await app.Workflows.GetAsync(id, Ct))!.Audit, a => a.Action == "approve" && a.Actor == "ops:alice");
    }
}
