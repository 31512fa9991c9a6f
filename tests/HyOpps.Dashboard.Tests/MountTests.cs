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
    public async Task Mount_ReturnsTheGroupSoHostConventionsApply()
    {
        await using var app = await DashboardTestApp.StartAsync(map: a => a.MapHyOppsDashboard("/open").AddEndpointFilter(async (c, next) =>
        {
            c.HttpContext.Response.Headers["X-Host-Convention"] = "yes";
            return await next(c);
        }));

        using var response = await app.CreateClient(user: null).GetAsync(new Uri("/open/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
