using System.Net;
using HyOpps.Workflows;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

/// <summary>A partner admin (org claim 42) sees and operates only executions labelled org=42.</summary>
public sealed class ScopeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_PartnerAdmin_SeesOnlyTheirOrg()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var mine = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"), org: "42");
        var theirs = await app.RunAsync(OnboardingFlow, new TestInput("b@example.com"), org: "7");
        var unlabelled = (await app.Workflows.StartAsync(OnboardingFlow, new TestInput("c@example.com"), cancellationToken: Ct)).ExecutionId;
        await app.SettledAsync(unlabelled);

        var (_, partner) = await GetAsync(app.CreateClient("bob", org: "42"), Prefix);
        var (_, admin) = await GetAsync(app.CreateClient("alice"), Prefix);

        Assert.Equal([mine], ExecutionListTests.Rows(partner));
        Assert.DoesNotContain(theirs, partner, StringComparison.Ordinal);
        Assert.DoesNotContain(unlabelled, partner, StringComparison.Ordinal);
        Assert.Equal(3, ExecutionListTests.Rows(admin).Length);
    }

    [Fact]
    public async Task List_FilterForAnotherOrg_CannotWidenTheScope()
    {
        await using var app = await DashboardTestApp.StartAsync();
        await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"), org: "42");
        var theirs = await app.RunAsync(OnboardingFlow, new TestInput("b@example.com"), org: "7");
        var client = app.CreateClient("bob", org: "42");

        var (status, html) = await GetAsync(client, "/hyopps/?label=org%3D7");
        var (_, twice) = await GetAsync(client, "/hyopps/?label=org%3D7&label=org%3D42");
        var (_, byStatus) = await GetAsync(client, "/hyopps/?status=Succeeded&workflow=new_partner_user");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(ExecutionListTests.Rows(html));
        Assert.Contains("No executions match.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs, twice, StringComparison.Ordinal);
        Assert.Single(ExecutionListTests.Rows(byStatus));
    }

    [Fact]
    public async Task Detail_AnotherOrgsExecution_Answers404()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var theirs = await app.RunAsync(OnboardingFlow, new TestInput("b@example.com"), org: "7");

        var (status, html) = await GetAsync(app.CreateClient("bob", org: "42"), ExecutionPath(theirs));
        var (confirmStatus, _) = await GetAsync(app.CreateClient("bob", org: "42"), ExecutionPath(theirs) + "/rerun?step=share_documentation");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("b@example.com", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, confirmStatus);
    }

    [Fact]
    public async Task Actions_OnAnotherOrgsExecution_Answer404AndChangeNothing()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("broken", "Metabase is down.");
        var failed = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com", Fault: "broken"), org: "7");
        var waiting = await app.RunAsync(ApprovalFlow, new TestInput("b@example.com"), org: "7");
        var partner = app.CreateClient("bob", org: "42");
        var token = await TokenAsync(partner);

        var posts = new[]
        {
            (failed, "retry", Array.Empty<(string, string)>()),
            (failed, "rerun", new[] { ("step", "validate_partner_user"), ("confirm", "yes") }),
            (waiting, "cancel", []),
            (waiting, "approve", []),
            (waiting, "reject", []),
        };
        foreach (var (id, action, fields) in posts)
        {
            using var response = await PostAsync(partner, $"{ExecutionPath(id)}/{action}", [("__RequestVerificationToken", token), .. fields]);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(ExecutionStatus.Failed, (await app.Workflows.GetAsync(failed, Ct))!.Status);
        Assert.Equal(ExecutionStatus.WaitingForApproval, (await app.Workflows.GetAsync(waiting, Ct))!.Status);
        Assert.DoesNotContain((await app.Workflows.GetAsync(waiting, Ct))!.Audit, a => a.Actor == "bob");
    }

    [Fact]
    public async Task PartnerAdmin_OwnOrg_CanOperate()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var waiting = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"), org: "42");
        var partner = app.CreateClient("bob", org: "42");
        var (_, page) = await GetAsync(partner, ExecutionPath(waiting));

        using var response = await PostAsync(partner, ExecutionPath(waiting) + "/approve", ("__RequestVerificationToken", FormToken(page)));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var done = await app.SettledAsync(waiting);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Contains(done.Audit, a => a.Action == "approve" && a.Actor == "bob");
    }
}
