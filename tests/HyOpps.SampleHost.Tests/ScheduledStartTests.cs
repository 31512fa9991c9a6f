using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Sandbox;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static HyOpps.SampleHost.Tests.PagesTests;
using static HyOpps.SampleHost.Tests.SampleTestHost;
using static HyOpps.SampleHost.Tests.SecurityTests;

namespace HyOpps.SampleHost.Tests;

/// <summary>Onboardings scheduled for the person's first working day, through the API, the add-user form and the dashboard.</summary>
public sealed class ScheduledStartTests
{
    [Fact]
    public async Task AddUser_WithAStartDate_WaitsUntilThatDay_ThenOnboards()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 15, 30, 0, TimeSpan.Zero));
        await using var host = await StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();

        var response = await admin.PostAsJsonAsync("/api/users", new { org_id = org.Id, email = "monday@partner.example", first_name = "Mo", last_name = "Day", start_at = "2026-12-07" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
        var execution = await admin.GetFromJsonAsync<JsonElement>($"/api/executions/{started.ExecutionId}", Ct);
        Assert.Equal("pending", execution.GetProperty("status").GetString());
        Assert.Equal("Scheduled for 2026-12-07 00:00:00Z (first step 'validate_partner_user').", execution.GetProperty("waiting_on").GetString());
        var scheduled = await admin.GetFromJsonAsync<JsonElement>("/api/executions?scheduled=true", Ct);
        Assert.Equal(started.ExecutionId, Assert.Single(scheduled.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(PartnerUserStatus.Onboarding, (await host.GetUserAsync(started.User.Id)).Status);

        time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(-1));
        Assert.Equal(ExecutionStatus.Pending, (await host.Workflows.GetAsync(started.ExecutionId, Ct))!.Status);

        // From the start date on; the clock keeps moving so that the steps' own waits (Graph learning of the new guest) end too.
        var done = await Eventually.UntilAsync(
            async () =>
            {
                time.Advance(TimeSpan.FromSeconds(5));
                return (await host.Workflows.GetAsync(started.ExecutionId, Ct))!;
            },
            d => d.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed,
            "the scheduled onboarding to run");

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(PartnerUserStatus.Active, (await host.GetUserAsync(started.User.Id)).Status);
    }

    [Theory]
    [InlineData("next tuesday", "is not a date (2026-12-07) or a date and time with an offset")]
    [InlineData("2026-12-07T09:00:00", "is not a date (2026-12-07) or a date and time with an offset")]
    [InlineData("2026-12-01", "The start date 2026-12-01 is in the past.")]
    [InlineData("2028-01-01", "is more than 366 days ahead")]
    public async Task AddUser_BadStartDate_Answers400NamingStartAt_AndWritesNothing(string startAt, string message)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 15, 30, 0, TimeSpan.Zero));
        await using var host = await StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();

        var response = await admin.PostAsJsonAsync("/api/users", new { org_id = org.Id, email = "bad.date@partner.example", first_name = "Bad", last_name = "Date", start_at = startAt }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(message, Assert.Single(problem.GetProperty("errors").GetProperty("start_at").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Empty(await host.Services.GetRequiredService<PartnerUserStore>().ListAsync(org.Id, null, Ct));
        Assert.Equal(0, (await host.Workflows.ListAsync(new ExecutionQuery(), Ct)).Total);
    }

    [Fact]
    public async Task AddUserForm_WithAStartDate_IsScheduled_ListedOnTheDashboard_AndStartedNowFromTheApi()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var page = await (await Send(client, cookies, HttpMethod.Get, $"/orgs/{org.Id}", null)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"start-at\"", page, StringComparison.Ordinal);
        var token = AntiforgeryField().Match(page).Groups["value"].Value;
        var startDate = DateTime.UtcNow.Date.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var bad = await Send(client, cookies, HttpMethod.Post, $"/orgs/{org.Id}/users", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = "ada@partner.example", ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["StartAt"] = "soon",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Matches("start_at: The start date [^ ]+soon[^ ]+ is not a date", await bad.Content.ReadAsStringAsync(Ct));

        var added = await Send(client, cookies, HttpMethod.Post, $"/orgs/{org.Id}/users", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = "ada@partner.example", ["FirstName"] = "Ada", ["LastName"] = "Lovelace", ["StartAt"] = startDate,
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var user = Assert.Single(await host.Services.GetRequiredService<PartnerUserStore>().ListAsync(org.Id, null, Ct));
        var execution = (await host.Workflows.GetAsync(user.OnboardingExecutionId!, Ct))!;
        Assert.Equal((ExecutionStatus.Pending, DateTimeOffset.Parse(startDate + "T00:00:00Z", CultureInfo.InvariantCulture)), (execution.Status, execution.NextRunAt!.Value));

        var scheduledPage = await (await Send(client, cookies, HttpMethod.Get, "/hyopps/scheduled", null)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"data-execution-id=\"{execution.Id}\"", scheduledPage, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"start-now-button\"", scheduledPage, StringComparison.Ordinal);

        using var admin = host.Admin();
        using var startNow = await admin.PostAsJsonAsync($"/api/executions/{execution.Id}/start-now", new { reason = "first day moved up" }, Ct);
        Assert.Equal(HttpStatusCode.OK, startNow.StatusCode);
        var done = await host.WaitAsync(execution.Id);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Contains(done.Audit, a => a.Action == "start_now" && a.Reason == "first day moved up");
    }
}
