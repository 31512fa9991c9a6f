using System.Net;
using System.Net.Http.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Workflows;
using HyOpps.TestUtilities;
using HyOpps.Testing.Smtp;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>Execution notifications in the sample: routed to the org's target or the global one, through the SMTP simulator in sandbox mode.</summary>
public sealed class NotificationTests
{
    private const string DashboardBase = "https://ops.example.test/hyopps";

    private static Dictionary<string, string?> Settings => new() { ["HyOpps:Runtime:Notifications:DashboardBaseUrl"] = DashboardBase };

    [Fact]
    public async Task OnboardingFailsPermanently_OneEmailToTheOrgTarget_WithTheDashboardLink_NoPersonOrSecret()
    {
        await using var host = await StartAsync(settings: Settings);
        var demo = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var update = await admin.PutAsJsonAsync($"/api/orgs/{demo.Id}", OrgBody(demo, notificationEmail: "alerts@partner.example"), Ct);
        Assert.True(update.StatusCode == HttpStatusCode.OK, await update.Content.ReadAsStringAsync(Ct));
        Assert.Equal("alerts@partner.example", (await update.Content.ReadFromJsonAsync<OrgResponse>(Json, Ct))!.NotificationEmail);

        // A link the API refuses but the store takes (an import, say) fails share_documentation permanently.
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var current = (await orgs.GetAsync(demo.Id, Ct))!;
        Assert.True(await orgs.UpdateAsync(current with { DocumentationLinks = [new DocumentationLink("Handbook", "htp:/handbook")] }, Ct));
        var started = await host.AddUserAsync(admin, demo.Id, "Mary.Jackson@Partner.example", "Mary", "Jackson");
        var failed = await host.WaitAsync(started.ExecutionId);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);

        var mail = await Eventually.UntilAsync(
            () => Task.FromResult(host.Sandbox.Smtp.Messages.Where(m => m.EnvelopeRecipients.Contains("alerts@partner.example")).ToArray()),
            m => m.Length >= 1,
            "the notification email");

        var email = Assert.Single(mail);
        Assert.Equal(
            $"[HyOpps] Step {PartnerWorkflowNames.ShareDocumentation} of {PartnerWorkflowNames.NewPartnerUser} failed permanently (category: {failed.ErrorType})",
            email.Subject);
        Assert.Contains($"{DashboardBase}/executions/{started.ExecutionId}", email.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{DashboardBase}/executions/{started.ExecutionId}\">", email.HtmlBody, StringComparison.Ordinal);
        AssertNoPersonOrSecret(host, email, "Mary.Jackson@Partner.example", "Mary", "Jackson");
        Assert.DoesNotContain(host.Sandbox.Smtp.Messages, m => m.EnvelopeRecipients.Contains(SampleHostApp.SandboxOperatorsEmail));
    }

    [Fact]
    public async Task OrgWithoutTarget_GoesToTheGlobalTarget_ApprovalWaitsToo()
    {
        await using var host = await StartAsync(settings: Settings);
        var demo = await host.DemoOrgAsync();
        var orgs = host.Services.GetRequiredService<OrgStore>();
        Assert.True(await orgs.UpdateAsync(demo with { DocumentationLinks = [new DocumentationLink("Handbook", "htp:/handbook")] }, Ct));
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, demo.Id, "Dorothy.Vaughan@Partner.example", "Dorothy", "Vaughan");
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(started.ExecutionId)).Status);

        var mail = await Eventually.UntilAsync(
            () => Task.FromResult(host.Sandbox.Smtp.Messages.Where(m => m.EnvelopeRecipients.Contains(SampleHostApp.SandboxOperatorsEmail)).ToArray()),
            m => m.Length >= 1,
            "the notification email to the global target");

        var email = Assert.Single(mail);
        Assert.Contains(started.ExecutionId, email.TextBody, StringComparison.Ordinal);
        AssertNoPersonOrSecret(host, email, "Dorothy.Vaughan@Partner.example", "Dorothy", "Vaughan");
    }

    [Fact]
    public async Task OrgApi_NotificationFields_AreValidatedNamingTheField()
    {
        await using var host = await StartAsync(settings: Settings);
        var demo = await host.DemoOrgAsync();
        using var admin = host.Admin();

        var bad = await admin.PutAsJsonAsync($"/api/orgs/{demo.Id}", OrgBody(demo, notificationEmail: "not an address", teamsTeam: "team-1"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var body = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("notification_email", body, StringComparison.Ordinal);
        Assert.Contains("notification_teams_channel_id", body, StringComparison.Ordinal);
        Assert.Null((await host.Services.GetRequiredService<OrgStore>().GetAsync(demo.Id, Ct))!.Notifications.TeamsTeamId);
    }

    [Fact]
    public async Task GlobalTarget_BadAddress_FailsAtStartNamingTheKey()
    {
        var settings = Settings;
        settings["Notifications:Email"] = "nobody";

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(settings: settings));

        Assert.Contains("Notifications:Email", ex.Message, StringComparison.Ordinal);
    }

    private static object OrgBody(Domain.OrgRecord org, string? notificationEmail = null, string? teamsTeam = null) => new
    {
        name = org.Name,
        active = org.Active,
        metabase_group_id = org.MetabaseGroupId,
        teams_team_id = org.TeamsTeamId,
        teams_channel_id = org.TeamsChannelId,
        slack_user_group_id = org.SlackUserGroupId,
        slack_channel_id = org.SlackChannelId,
        atlassian_group_id = org.AtlassianGroupId,
        documentation_links = org.DocumentationLinks.Select(l => new { title = l.Title, url = l.Url }),
        allowed_email_domains = org.AllowedEmailDomains,
        notification_email = notificationEmail,
        notification_teams_team_id = teamsTeam,
    };

    private static void AssertNoPersonOrSecret(SampleTestHost host, ReceivedEmail email, params string[] person)
    {
        var all = $"{email.Subject}\n{email.TextBody}\n{email.HtmlBody}";
        foreach (var value in person)
        {
            Assert.DoesNotContain(value, all, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var (key, value) in host.Sandbox.Settings)
        {
            if (value is { Length: >= 8 } && (key.Contains("token", StringComparison.OrdinalIgnoreCase) || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
                || key.Contains("password", StringComparison.OrdinalIgnoreCase)))
            {
                Assert.DoesNotContain(value, all, StringComparison.Ordinal);
            }
        }
    }
}
