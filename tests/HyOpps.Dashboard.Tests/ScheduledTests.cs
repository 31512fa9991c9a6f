using System.Net;
using HyOpps.Workflows;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

/// <summary>The scheduled executions page: listed in scope, soonest first, started now or cancelled by an operator.</summary>
public sealed class ScheduledTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScheduledPage_ListsOnlyTheCallersScope_SoonestFirst_WithActions()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var later = await ScheduleAsync(app, "42", TimeSpan.FromDays(9));
        var sooner = await ScheduleAsync(app, "42", TimeSpan.FromDays(2));
        var otherOrg = await ScheduleAsync(app, "43", TimeSpan.FromDays(1));
        var ran = await app.RunAsync(OnboardingFlow, new TestInput("now@example.com"));

        var (status, page) = await GetAsync(app.CreateClient("pat", org: "42"), Prefix + "/scheduled");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"scheduled-count\" data-total=\"2\"", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf(sooner, StringComparison.Ordinal) < page.IndexOf(later, StringComparison.Ordinal), "soonest first");
        Assert.DoesNotContain(otherOrg, page, StringComparison.Ordinal);
        Assert.DoesNotContain(ran, page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/hyopps/executions/{sooner}/start-now\"", page, StringComparison.Ordinal);
        Assert.Contains($"action=\"/hyopps/executions/{sooner}/cancel\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"nav-scheduled\"", page, StringComparison.Ordinal);

        var (_, viewer) = await GetAsync(app.CreateClient("vera", role: "viewer"), Prefix + "/scheduled");
        Assert.Contains("data-total=\"3\"", viewer, StringComparison.Ordinal);
        Assert.DoesNotContain("start-now-button", viewer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartNow_FromTheDetailPage_RunsItAtOnceAndIsAudited()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await ScheduleAsync(app, "42", TimeSpan.FromDays(3));
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, ExecutionPath(id));
        Assert.Contains("data-testid=\"waiting-on\">Scheduled for ", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"start-now-button\"", page, StringComparison.Ordinal);

        using var response = await PostAsync(client, ExecutionPath(id) + "/start-now", ("__RequestVerificationToken", FormToken(page)), ("reason", "partner starts early"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/hyopps/executions/{id}?done=start-now", response.Headers.Location?.OriginalString);
        var done = await app.SettledAsync(id);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Contains(done.Audit, a => a.Action == "start_now" && a.Actor == "alice" && a.Reason == "partner starts early");
        var (_, after) = await GetAsync(client, response.Headers.Location!.OriginalString);
        Assert.Contains("Started now instead of at its scheduled time.", after, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"start-now-button\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartNow_AnotherOrgsOrANotScheduledExecution_IsRefused()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var theirs = await ScheduleAsync(app, "43", TimeSpan.FromDays(3));
        var finished = await app.RunAsync(OnboardingFlow, new TestInput("done@example.com"));
        var partner = app.CreateClient("pat", org: "42");
        var token = await TokenAsync(partner);

        using var notFound = await PostAsync(partner, ExecutionPath(theirs) + "/start-now", ("__RequestVerificationToken", token));
        using var conflict = await PostAsync(partner, ExecutionPath(finished) + "/start-now", ("__RequestVerificationToken", token));

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("not scheduled for later", await conflict.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Pending, (await app.Workflows.GetAsync(theirs, Ct))!.Status);
    }

    [Fact]
    public async Task Cancel_FromTheScheduledPage_CancelsIt()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await ScheduleAsync(app, "42", TimeSpan.FromDays(3));
        var client = app.CreateClient("alice");
        var (_, page) = await GetAsync(client, Prefix + "/scheduled");

        using var response = await PostAsync(client, ExecutionPath(id) + "/cancel", ("__RequestVerificationToken", FormToken(page)), ("reason", "start date dropped"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal(ExecutionStatus.Cancelled, (await app.Workflows.GetAsync(id, Ct))!.Status);
        var (_, after) = await GetAsync(client, Prefix + "/scheduled");
        Assert.Contains("Nothing is scheduled for later.", after, StringComparison.Ordinal);
    }

    private static async Task<string> ScheduleAsync(DashboardTestApp app, string org, TimeSpan after)
    {
        var options = new StartExecutionOptions
        {
            Labels = new Dictionary<string, string> { ["org"] = org },
            Actor = "test",
            NotBefore = DateTimeOffset.UtcNow + after,
        };
        return (await app.Workflows.StartAsync(OnboardingFlow, new TestInput($"{Guid.NewGuid():N}@example.com"), options, Ct)).ExecutionId;
    }
}
