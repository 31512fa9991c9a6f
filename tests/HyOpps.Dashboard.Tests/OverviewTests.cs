using System.Net;
using System.Text.RegularExpressions;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

/// <summary>The overview page: counts, failing steps with links to the list and the bulk retry preview, the chart, search and retention; scoped.</summary>
public sealed partial class OverviewTests
{
    [Fact]
    public async Task Overview_ShowsCountsAndTheFailingStep_ItsLinksLeadToTheListAndTheRetryPreview()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("metabase", "Metabase group 7 does not exist.");
        for (var i = 0; i < 3; i++)
        {
            await app.RunAsync(OnboardingFlow, new TestInput($"p{i}@example.com", Fault: "metabase"));
        }

        app.Faults.Clear("metabase");
        await app.RunAsync(OnboardingFlow, new TestInput("ok@example.com"));
        var client = app.CreateClient("alice");

        var (status, page) = await GetAsync(client, "/hyopps/overview");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("href=\"/hyopps/overview\" data-testid=\"nav-overview\"", page, StringComparison.Ordinal);
        Assert.Contains("data-workflow=\"new_partner_user\" data-status=\"Failed\" data-count=\"3\"", page, StringComparison.Ordinal);
        Assert.Contains("data-workflow=\"new_partner_user\" data-status=\"Succeeded\" data-count=\"1\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"failing-step\" data-workflow=\"new_partner_user\" data-step=\"add_user_to_metabase_group\" data-count=\"3\"", page, StringComparison.Ordinal);
        Assert.Contains("Metabase group 7 does not exist.", page, StringComparison.Ordinal);
        Assert.Contains("role=\"img\" aria-labelledby=\"hd-chart-title hd-chart-desc\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"starts-chart\" data-total=\"4\"", page, StringComparison.Ordinal);
        Assert.Equal(24, ChartBar().Matches(page).Count);
        Assert.Contains("data-testid=\"oldest-due\" data-due-count=\"0\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"retention-total\" data-count=\"0\"", page, StringComparison.Ordinal);

        var list = Link(page, "failing-list-link");
        var retry = Link(page, "failing-retry-link");
        Assert.Equal("/hyopps/?workflow=new_partner_user&status=Failed&step=add_user_to_metabase_group", list);
        Assert.Equal("/hyopps/bulk?preview=1&action=retry&workflow=new_partner_user&status=Failed&step=add_user_to_metabase_group", retry);
        Assert.Contains("data-testid=\"execution-count\" data-total=\"3\"", (await GetAsync(client, list)).Html, StringComparison.Ordinal);
        var preview = (await GetAsync(client, retry)).Html;
        Assert.Contains("data-testid=\"bulk-preview\" data-matched=\"3\"", preview, StringComparison.Ordinal);
        Assert.Contains("I understand that this will retry the failed step of 3 execution(s).", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_ScopedCaller_SeesOnlyTheirOrg_NoRetention_AndAViewerGetsNoRetryLink()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("metabase", "down");
        await app.RunAsync(OnboardingFlow, new TestInput("mine@example.com", Fault: "metabase"), org: "42");
        await app.RunAsync(OnboardingFlow, new TestInput("theirs1@example.com", Fault: "metabase"), org: "43");
        await app.RunAsync(OnboardingFlow, new TestInput("theirs2@example.com", Fault: "metabase"), org: "43");

        var (_, mine) = await GetAsync(app.CreateClient("pat", org: "42"), "/hyopps/overview");
        var (_, viewer) = await GetAsync(app.CreateClient("vera", org: "42", role: "viewer"), "/hyopps/overview");

        Assert.Contains("data-status=\"Failed\" data-count=\"1\"", mine, StringComparison.Ordinal);
        Assert.Contains("data-step=\"add_user_to_metabase_group\" data-count=\"1\"", mine, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"starts-chart\" data-total=\"1\"", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("retention", mine, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("failing-retry-link", mine, StringComparison.Ordinal);
        Assert.Contains("failing-list-link", viewer, StringComparison.Ordinal);
        Assert.DoesNotContain("failing-retry-link", viewer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ByLabelValue_ListsTheMatches_WithinTheScope()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var a = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"), org: "42");
        var b = await app.RunAsync(OnboardingFlow, new TestInput("b@example.com"), org: "43");

        var (_, overview) = await GetAsync(app.CreateClient("alice"), "/hyopps/overview");
        var (_, found) = await GetAsync(app.CreateClient("alice"), "/hyopps/?q=43");
        var (_, scoped) = await GetAsync(app.CreateClient("pat", org: "42"), "/hyopps/?q=43");
        var (tooLong, _) = await GetAsync(app.CreateClient("alice"), "/hyopps/?q=" + new string('x', 501));

        Assert.Contains("<form class=\"hd-filters\" method=\"get\" action=\"/hyopps/\" role=\"search\" data-testid=\"overview-search\">", overview, StringComparison.Ordinal);
        Assert.Contains("name=\"q\"", overview, StringComparison.Ordinal);
        Assert.Contains(b, found, StringComparison.Ordinal);
        Assert.DoesNotContain(a, found, StringComparison.Ordinal);
        Assert.Contains("value=\"43\" placeholder=\"ann@example.com\" data-testid=\"filter-search\"", found, StringComparison.Ordinal);
        Assert.DoesNotContain(b, scoped, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
    }

    private static string Link(string html, string testId)
    {
        var match = Regex.Match(html, "href=\"([^\"]+)\" data-testid=\"" + testId + "\"");
        Assert.True(match.Success, $"No link {testId}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("data-testid=\"chart-bar\"")]
    private static partial Regex ChartBar();
}
