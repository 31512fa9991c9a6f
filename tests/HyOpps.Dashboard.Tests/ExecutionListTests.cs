using System.Net;
using HyOpps.Workflows;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

public sealed class ExecutionListTests
{
    [Fact]
    public async Task List_Executions_ShowsStatusWorkflowLabelsStartedDurationCurrentStepAndError()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("broken", "Metabase group 7 does not exist.");
        var ok = await app.RunAsync(OnboardingFlow, new TestInput("ada@example.com"), org: "42");
        var failed = await app.RunAsync(OnboardingFlow, new TestInput("bob@example.com", Fault: "broken"), org: "7");

        var (status, html) = await GetAsync(app.CreateClient(), Prefix);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<title>Executions · Test operations</title>", html, StringComparison.Ordinal);
        Assert.Contains($"data-execution-id=\"{ok}\" data-status=\"Succeeded\"", html, StringComparison.Ordinal);
        Assert.Contains($"data-execution-id=\"{failed}\" data-status=\"Failed\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/hyopps/executions/{ok}\" data-testid=\"execution-link\">new_partner_user</a>", html, StringComparison.Ordinal);
        Assert.Contains(">org: 42</a>", html, StringComparison.Ordinal);
        Assert.Contains(">org: 7</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>add_user_to_metabase_group</code>", html, StringComparison.Ordinal);
        Assert.Contains("Metabase group 7 does not exist.", html, StringComparison.Ordinal);
        Assert.Contains("<time datetime=", html, StringComparison.Ordinal);
        Assert.Contains("data-total=\"2\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"auto-refresh\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithoutTrailingSlash_RendersTheSamePage()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(OnboardingFlow, new TestInput("ada@example.com"));

        var (status, html) = await GetAsync(app.CreateClient(), "/hyopps");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-execution-id=\"{id}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Filters_MatchWorkflowStatusAndLabel()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("broken", "Metabase is down.");
        var ok42 = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"), org: "42");
        var failed42 = await app.RunAsync(OnboardingFlow, new TestInput("b@example.com", Fault: "broken"), org: "42");
        var ok7 = await app.RunAsync(OnboardingFlow, new TestInput("c@example.com"), org: "7");
        var approval = await app.RunAsync(ApprovalFlow, new TestInput("d@example.com"), org: "42");
        var client = app.CreateClient();

        var (_, byStatus) = await GetAsync(client, "/hyopps/?status=Failed");
        var (_, byLabel) = await GetAsync(client, "/hyopps/?label=org%3D7");
        var (_, byWorkflow) = await GetAsync(client, "/hyopps/?workflow=approval_flow");
        var (_, combined) = await GetAsync(client, "/hyopps/?workflow=new_partner_user&status=succeeded&label=org%3D42");

        Assert.Equal([failed42], Rows(byStatus));
        Assert.Equal([ok7], Rows(byLabel));
        Assert.Equal([approval], Rows(byWorkflow));
        Assert.Equal([ok42], Rows(combined));
        Assert.Contains("<option value=\"approval_flow\" selected>", byWorkflow, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Failed\" selected>", byStatus, StringComparison.Ordinal);
        Assert.Contains("name=\"label\" value=\"org=7\"", byLabel, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_BadFilter_Answers400WithAReadableMessage()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var client = app.CreateClient();

        var (status, html) = await GetAsync(client, "/hyopps/?status=Exploded");
        var (labelStatus, labelHtml) = await GetAsync(client, "/hyopps/?label=org");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Unknown status &#x27;Exploded&#x27;", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, labelStatus);
        Assert.Contains("is not of the form key=value", labelHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_MoreThanAPage_PagesNewestFirstKeepingFilters()
    {
        await using var app = await DashboardTestApp.StartAsync(o => o.PageSize = 2);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.RunAsync(OnboardingFlow, new TestInput($"u{i}@example.com")));
        }

        var client = app.CreateClient();
        var (_, page1) = await GetAsync(client, "/hyopps/?status=Succeeded");
        var (_, page3) = await GetAsync(client, "/hyopps/?status=Succeeded&page=3");

        Assert.Equal([ids[4], ids[3]], Rows(page1));
        Assert.Contains("Showing 1–2 of 5.", page1, StringComparison.Ordinal);
        Assert.Contains("href=\"/hyopps/?status=Succeeded&amp;page=2\" rel=\"next\"", page1, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"prev\"", page1, StringComparison.Ordinal);
        Assert.Equal([ids[0]], Rows(page3));
        Assert.Contains("rel=\"prev\"", page3, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", page3, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_RunningExecution_RefreshesItself()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.StartAsync(SlowFlow, new TestInput("a@example.com"), "42");
        await app.RunningAsync(id);

        var (_, html) = await GetAsync(app.CreateClient(), Prefix);

        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\" data-testid=\"auto-refresh\">", html, StringComparison.Ordinal);
        Assert.Contains("so far", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_LabelDisplay_RenamesOrHidesLabels()
    {
        await using var app = await DashboardTestApp.StartAsync(o => o.LabelDisplay = key => key == "org" ? "Organisation" : null);
        await app.Workflows.StartAsync(OnboardingFlow, new TestInput("a@example.com"), new StartExecutionOptions { Labels = new Dictionary<string, string> { ["org"] = "42", ["internal"] = "x" } }, TestContext.Current.CancellationToken);

        var (_, html) = await GetAsync(app.CreateClient(), Prefix);

        Assert.Contains(">Organisation: 42</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("internal", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelValueDisplay_ListAndDetail_ShowDescribedValueEncodedOncePerDistinctValue()
    {
        var calls = new List<string>();
        await using var app = await DashboardTestApp.StartAsync(o => o.LabelValueDisplay = (_, key, value) =>
        {
            lock (calls)
            {
                calls.Add($"{key}={value}");
            }

            return ValueTask.FromResult(key == "org" && value == "42" ? "<b>Acme</b> & Co" : null);
        });
        var first = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"), org: "42");
        await app.RunAsync(OnboardingFlow, new TestInput("b@example.com"), org: "42");
        await app.RunAsync(OnboardingFlow, new TestInput("c@example.com"), org: "7");

        var (_, list) = await GetAsync(app.CreateClient(), Prefix);
        string[] listCalls;
        lock (calls)
        {
            listCalls = [.. calls];
        }

        var (_, detail) = await GetAsync(app.CreateClient(), ExecutionPath(first));

        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(list, ">org: &lt;b&gt;Acme&lt;/b&gt; &amp; Co</a>").Count);
        Assert.Contains("?label=org%3D42", list, StringComparison.Ordinal);
        Assert.Contains(">org: 7</a>", list, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Acme</b>", list, StringComparison.Ordinal);
        Assert.Equal(["org=42", "org=7"], listCalls.Order(StringComparer.Ordinal));
        Assert.Contains("data-label=\"org\" data-label-value=\"42\" title=\"org=42\">&lt;b&gt;Acme&lt;/b&gt; &amp; Co</dd>", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelValueDisplay_OutsideTheScope_IsNeverAsked()
    {
        var calls = new List<string>();
        await using var app = await DashboardTestApp.StartAsync(o => o.LabelValueDisplay = (_, key, value) =>
        {
            lock (calls)
            {
                calls.Add($"{key}={value}");
            }

            return ValueTask.FromResult<string?>("described");
        });
        await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"), org: "42");
        var theirs = await app.RunAsync(OnboardingFlow, new TestInput("b@example.com"), org: "7");

        await GetAsync(app.CreateClient("bob", org: "42"), Prefix);
        var (status, _) = await GetAsync(app.CreateClient("bob", org: "42"), ExecutionPath(theirs));

        Assert.Equal(HttpStatusCode.NotFound, status);
        lock (calls)
        {
            Assert.Equal(["org=42"], calls);
        }
    }

    internal static string[] Rows(string html)
        => System.Text.RegularExpressions.Regex.Matches(html, "<tr data-execution-id=\"([0-9a-f]+)\"").Select(m => m.Groups[1].Value).ToArray();
}
