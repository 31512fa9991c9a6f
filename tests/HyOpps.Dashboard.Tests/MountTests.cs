using System.Net;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

public sealed class MountTests
{
    [Fact]
    public async Task Mount_WithRouteParameter_LinksAndScopeFollowTheRoute()
    {
        await using var app = await DashboardTestApp.StartAsync(map: a => a.MapHyOppsDashboard("/orgs/{org}/executions", o =>
        {
            o.Title = "Org executions";
            o.ScopeLabels = c => new Dictionary<string, string> { ["org"] = (string)c.GetRouteValue("org")! };
            o.BackLinkUrl = "/orgs";
            o.BackLinkText = "Back to orgs";
            o.CanOperate = _ => true;
        }).RequireAuthorization());
        var mine = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"), org: "42");
        var theirs = await app.RunAsync(ApprovalFlow, new TestInput("b@example.com"), org: "7");
        var client = app.CreateClient();

        var (_, list) = await GetAsync(client, "/orgs/42/executions");
        var (status, _) = await GetAsync(client, $"/orgs/42/executions/executions/{theirs}");
        var (_, detail) = await GetAsync(client, $"/orgs/42/executions/executions/{mine}");

        Assert.Equal([mine], ExecutionListTests.Rows(list));
        Assert.Contains($"href=\"/orgs/42/executions/executions/{mine}\"", list, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/orgs/42/executions/dashboard.css\">", list, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/orgs\" data-testid=\"back-link\">Back to orgs</a>", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains($"action=\"/orgs/42/executions/executions/{mine}/approve\"", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mount_ReturnsTheGroupSoHostConventionsAndFiltersApply()
    {
        await using var app = await DashboardTestApp.StartAsync(map: a => a.MapHyOppsDashboard("/open", o => o.AllowAnonymous = true)
            .RequireHost("dashboard.example", "127.0.0.1:*")
            .AddEndpointFilter(async (c, next) =>
            {
                c.HttpContext.Response.Headers["X-Host-Filter"] = "ran";
                return await next(c);
            }));
        var client = app.CreateClient(user: null);

        using var page = await client.GetAsync(new Uri("/open/", UriKind.Relative), TestContext.Current.CancellationToken);
        using var otherHost = new HttpRequestMessage(HttpMethod.Get, new Uri("/open/", UriKind.Relative));
        otherHost.Headers.Host = "elsewhere.example";
        using var rejected = await client.SendAsync(otherHost, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("ran", string.Join(',', page.Headers.GetValues("X-Host-Filter")));
        Assert.Equal(HttpStatusCode.NotFound, rejected.StatusCode);
    }

    [Fact]
    public async Task Mount_HostUsesAntiforgeryMiddleware_ActionsStillWork()
    {
        await using var app = await DashboardTestApp.StartAsync(useAntiforgeryMiddleware: true);
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, ExecutionPath(id));

        using var missing = await PostAsync(client, ExecutionPath(id) + "/approve");
        using var approved = await PostAsync(client, ExecutionPath(id) + "/approve", ("__RequestVerificationToken", FormToken(page)));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
        Assert.Equal(ExecutionStatus.Succeeded, (await app.SettledAsync(id)).Status);
    }
}
