using System.Net;
using HyOpps.Workflows;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

/// <summary>The bulk page: a preview with the count and the first rows, a confirmation naming the count, the result; scoped and operator-only.</summary>
public sealed class BulkActionTests
{
    private const string FailedAtMetabase = "/hyopps/bulk?preview=1&action=retry&status=Failed&step=add_user_to_metabase_group";

    [Fact]
    public async Task Preview_ShowsCountAndFirstRows_ConfirmRetriesThemAll_AndAuditsEach()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("metabase", "Metabase group 7 does not exist.");
        var failed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            failed.Add(await app.RunAsync(OnboardingFlow, new TestInput($"p{i}@example.com", Fault: "metabase")));
        }

        var ok = await app.RunAsync(OnboardingFlow, new TestInput("ok@example.com"));
        var client = app.CreateClient("alice");

        var (status, preview) = await GetAsync(client, FailedAtMetabase);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"bulk-preview\" data-matched=\"3\"", preview, StringComparison.Ordinal);
        Assert.Contains("I understand that this will retry the failed step of 3 execution(s).", preview, StringComparison.Ordinal);
        Assert.All(failed, id => Assert.Contains($"data-execution-id=\"{id}\"", preview, StringComparison.Ordinal));
        Assert.DoesNotContain(ok, preview, StringComparison.Ordinal);
        foreach (var id in failed)
        {
            Assert.Equal(ExecutionStatus.Failed, (await app.Workflows.GetAsync(id, TestContext.Current.CancellationToken))!.Status);
        }

        app.Faults.Clear("metabase");
        using var missingConfirm = await PostAsync(client, "/hyopps/bulk", ("__RequestVerificationToken", FormToken(preview)), ("action", "retry"), ("status", "Failed"), ("step", "add_user_to_metabase_group"));
        Assert.Equal(HttpStatusCode.BadRequest, missingConfirm.StatusCode);
        Assert.Contains("Tick the box to confirm", await missingConfirm.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var applied = await PostAsync(
            client,
            "/hyopps/bulk",
            ("__RequestVerificationToken", FormToken(preview)),
            ("action", "retry"),
            ("status", "Failed"),
            ("step", "add_user_to_metabase_group"),
            ("reason", "group 7 created"),
            ("confirm", "yes"));

        var resultPage = await BulkResultAsync(client, applied);
        Assert.Contains("data-testid=\"bulk-result\" data-applied=\"3\" data-skipped=\"0\"", resultPage, StringComparison.Ordinal);
        foreach (var id in failed)
        {
            var done = await app.SettledAsync(id);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            Assert.Contains(done.Audit, a => a.Action == "bulk_retry" && a.Actor == "alice" && a.Reason == "group 7 created");
        }
    }

    [Fact]
    public async Task ScopedCaller_PreviewsAndChangesOnlyTheirOrg()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("metabase", "Metabase group 7 does not exist.");
        var mine = await app.RunAsync(OnboardingFlow, new TestInput("mine@example.com", Fault: "metabase"), org: "42");
        var theirs = await app.RunAsync(OnboardingFlow, new TestInput("theirs@example.com", Fault: "metabase"), org: "43");
        app.Faults.Clear("metabase");
        var partner = app.CreateClient("pat", org: "42");

        var (_, preview) = await GetAsync(partner, FailedAtMetabase + "&label=org%3D43");
        Assert.Contains("data-matched=\"0\"", preview, StringComparison.Ordinal);

        (_, preview) = await GetAsync(partner, FailedAtMetabase);
        Assert.Contains("data-matched=\"1\"", preview, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs, preview, StringComparison.Ordinal);

        using var applied = await PostAsync(partner, "/hyopps/bulk", ("__RequestVerificationToken", FormToken(preview)), ("action", "cancel"), ("status", "Failed"), ("confirm", "yes"));
        var cancelled = await BulkResultAsync(partner, applied);
        var retry = await PostAsync(partner, "/hyopps/bulk", ("__RequestVerificationToken", FormToken(preview)), ("action", "retry"), ("status", "Failed"), ("confirm", "yes"));

        Assert.Contains("data-applied=\"1\"", await BulkResultAsync(partner, retry), StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Succeeded, (await app.SettledAsync(mine)).Status);
        Assert.Equal(ExecutionStatus.Failed, (await app.Workflows.GetAsync(theirs, TestContext.Current.CancellationToken))!.Status);
        Assert.Contains("data-applied=\"0\" data-skipped=\"1\"", cancelled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_CannotPreviewOrApply_AndABadFilterIs400()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var viewer = app.CreateClient("vera", role: "viewer");
        var token = await TokenAsync(viewer);

        var (previewStatus, _) = await GetAsync(viewer, FailedAtMetabase);
        using var apply = await PostAsync(viewer, "/hyopps/bulk", ("__RequestVerificationToken", token), ("action", "retry"), ("confirm", "yes"));
        var (badStatus, bad) = await GetAsync(app.CreateClient("alice"), "/hyopps/bulk?preview=1&action=explode&from=yesterday");

        Assert.Equal(HttpStatusCode.Forbidden, previewStatus);
        Assert.Equal(HttpStatusCode.Forbidden, apply.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("Unknown action &#39;explode&#39;", bad.Replace("&#x27;", "&#39;", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("The date &#39;yesterday&#39; (from) is not of the form 2026-12-07.", bad.Replace("&#x27;", "&#39;", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProgressPage_OfAnotherScopeOrAViewer_IsNotShown_AndAnUnknownJobIs404()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("metabase", "down");
        await app.RunAsync(OnboardingFlow, new TestInput("mine@example.com", Fault: "metabase"), org: "42");
        app.Faults.Clear("metabase");
        var partner = app.CreateClient("pat", org: "42");
        using var confirmed = await PostAsync(partner, "/hyopps/bulk", ("__RequestVerificationToken", await TokenAsync(partner)), ("action", "retry"), ("status", "Failed"), ("confirm", "yes"));
        var job = confirmed.Headers.Location!.ToString();
        await BulkResultAsync(partner, confirmed);

        var (otherOrg, otherPage) = await GetAsync(app.CreateClient("olga", org: "43"), job);
        var (viewer, _) = await GetAsync(app.CreateClient("vera", org: "42", role: "viewer"), job);
        var (unknown, _) = await GetAsync(partner, "/hyopps/bulk/jobs/0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.NotFound, otherOrg);
        Assert.DoesNotContain("bulk-result", otherPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, viewer);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task ListPage_LinksToTheBulkPreviewWithItsFilters()
    {
        await using var app = await DashboardTestApp.StartAsync();
        await app.RunAsync(OnboardingFlow, new TestInput("a@example.com"));

        var (_, page) = await GetAsync(app.CreateClient("alice"), "/hyopps/?status=Succeeded&workflow=new_partner_user");

        Assert.Contains("href=\"/hyopps/bulk?preview=1&amp;workflow=new_partner_user&amp;status=Succeeded\" data-testid=\"bulk-link\">Act on all 1 matching executions", page, StringComparison.Ordinal);
    }
}
