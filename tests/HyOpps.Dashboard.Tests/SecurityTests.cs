using System.Net;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

public sealed class SecurityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_Anonymous_IsChallengedByTheHostsAuthorization()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"));
        var anonymous = app.CreateClient(user: null);

        var (list, _) = await GetAsync(anonymous, Prefix);
        var (detail, _) = await GetAsync(anonymous, ExecutionPath(id));
        using var post = await PostAsync(anonymous, ExecutionPath(id) + "/rerun", ("step", "validate_partner_user"), ("confirm", "yes"));

        Assert.Equal(HttpStatusCode.Unauthorized, list);
        Assert.Equal(HttpStatusCode.Unauthorized, detail);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_Answers400AndChangesNothing()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("broken", "Metabase is down.");
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com", Fault: "broken"));
        var client = app.CreateClient();
        await GetAsync(client, ExecutionPath(id)); // sets the antiforgery cookie, as a browser would have

        using var missing = await PostAsync(client, ExecutionPath(id) + "/retry", ("reason", "csrf"));
        using var forged = await PostAsync(client, ExecutionPath(id) + "/retry", ("__RequestVerificationToken", "forged"));
        using var noForm = await client.PostAsync(new Uri(ExecutionPath(id) + "/retry", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noForm.StatusCode);
        Assert.Contains("security token is missing or invalid", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var detail = await app.Workflows.GetAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Failed, detail!.Status);
        Assert.DoesNotContain(detail.Audit, a => a.Action == "retry");
    }

    [Fact]
    public async Task Post_TokenOfAnotherUser_Answers400()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));
        var mallory = app.CreateClient("mallory");
        var alice = app.CreateClient("alice");
        var malloryToken = await TokenAsync(mallory);
        await TokenAsync(alice);

        using var response = await PostAsync(alice, ExecutionPath(id) + "/approve", ("__RequestVerificationToken", malloryToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ExecutionStatus.WaitingForApproval, (await app.Workflows.GetAsync(id, Ct))!.Status);
    }

    [Fact]
    public async Task CanOperateFalse_HidesEveryActionAndRejectsPostsWith403()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("broken", "Metabase is down.");
        var failed = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com", Fault: "broken"));
        var waiting = await app.RunAsync(ApprovalFlow, new TestInput("b@example.com"));
        var viewer = app.CreateClient("carol", role: "viewer");
        var token = await TokenAsync(viewer);

        var (_, failedPage) = await GetAsync(viewer, ExecutionPath(failed));
        var (_, waitingPage) = await GetAsync(viewer, ExecutionPath(waiting));
        var (confirmStatus, _) = await GetAsync(viewer, ExecutionPath(failed) + "/rerun?step=validate_partner_user");
        using var retry = await PostAsync(viewer, ExecutionPath(failed) + "/retry", ("__RequestVerificationToken", token));
        using var rerun = await PostAsync(viewer, ExecutionPath(failed) + "/rerun", ("__RequestVerificationToken", token), ("step", "validate_partner_user"), ("confirm", "yes"));
        using var approve = await PostAsync(viewer, ExecutionPath(waiting) + "/approve", ("__RequestVerificationToken", token));
        using var reject = await PostAsync(viewer, ExecutionPath(waiting) + "/reject", ("__RequestVerificationToken", token));
        using var cancel = await PostAsync(viewer, ExecutionPath(waiting) + "/cancel", ("__RequestVerificationToken", token));

        foreach (var page in new[] { failedPage, waitingPage })
        {
            Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
            Assert.DoesNotContain("-button\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("rerun-link", page, StringComparison.Ordinal);
        }

        Assert.Contains("Metabase is down.", failedPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, confirmStatus);
        Assert.All([retry, rerun, approve, reject, cancel], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(ExecutionStatus.Failed, (await app.Workflows.GetAsync(failed, Ct))!.Status);
        Assert.Equal(ExecutionStatus.WaitingForApproval, (await app.Workflows.GetAsync(waiting, Ct))!.Status);
    }

    [Fact]
    public async Task DefaultOptions_CanOperateIsFalse_ActionsHiddenAndRefused()
    {
        await using var app = await DashboardTestApp.StartAsync(o => o.CanOperate = new HyOppsDashboardOptions().CanOperate);
        var waiting = await app.RunAsync(ApprovalFlow, new TestInput("b@example.com"));
        var operatorClient = app.CreateClient("dave");
        var token = await TokenAsync(operatorClient);

        var (_, page) = await GetAsync(operatorClient, ExecutionPath(waiting));
        using var approve = await PostAsync(operatorClient, ExecutionPath(waiting) + "/approve", ("__RequestVerificationToken", token));

        Assert.DoesNotContain("<form", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Equal(ExecutionStatus.WaitingForApproval, (await app.Workflows.GetAsync(waiting, Ct))!.Status);
    }

    [Fact]
    public async Task Mount_WithoutAuthorizationOrOptIn_FailsAtStartUpSayingWhatToAdd()
    {
        using var database = new TestDatabase();
        await using var app = BareApp(database, withFallbackPolicy: false);
        app.MapHyOppsDashboard("/ops");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(Ct));

        Assert.Contains("'/ops'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".RequireAuthorization(", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AllowAnonymous = true", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("require-authorization")]
    [InlineData("fallback-policy")]
    [InlineData("allow-anonymous-option")]
    public async Task Mount_ProtectedOrExplicitlyOpen_Starts(string how)
    {
        using var database = new TestDatabase();
        await using var app = BareApp(database, withFallbackPolicy: how == "fallback-policy");
        var group = app.MapHyOppsDashboard("/ops", o => o.AllowAnonymous = how == "allow-anonymous-option");
        if (how == "require-authorization")
        {
            group.RequireAuthorization();
        }

        await app.StartAsync(Ct);
        await app.StopAsync(Ct);
    }

    private static WebApplication BareApp(TestDatabase database, bool withFallbackPolicy)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthorization(o =>
        {
            if (withFallbackPolicy)
            {
                o.FallbackPolicy = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        builder.Services.AddHyOppsDashboard();
        builder.Services.AddHyOpps().UseSqlite(database.ConnectionString);
        return builder.Build();
    }

    [Fact]
    public void MapHyOppsDashboard_WithoutAntiforgeryServices_FailsWithAClearMessage()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Services.AddHyOpps().UseSqlite("Data Source=:memory:");
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapHyOppsDashboard("/hyopps"));

        Assert.Contains("AddHyOppsDashboard()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapHyOppsDashboard_WithoutHyOpps_FailsWithAClearMessage()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Services.AddHyOppsDashboard();
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapHyOppsDashboard("/hyopps"));

        Assert.Contains("AddHyOpps()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapHyOppsDashboard_PageSizeOutOfRange_Throws()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Services.AddHyOppsDashboard();
        builder.Services.AddHyOpps().UseSqlite("Data Source=:memory:");
        using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapHyOppsDashboard("/hyopps", o => o.PageSize = 0));

        Assert.Contains("PageSize", ex.Message, StringComparison.Ordinal);
    }
}
