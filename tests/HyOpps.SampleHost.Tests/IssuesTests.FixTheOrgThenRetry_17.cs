using System.Net;
using System.Net.Http.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>Issue 17: "Fix the org's documentation links, then retry the step" works, because each attempt maps the org as it is now.</summary>
public sealed class IssuesTests_FixTheOrgThenRetry_17
{
    [Fact]
    public async Task ShareDocumentation_OrgLinksBad_AdminFixesTheOrgThenRetryEmailsTheFixedLinks()
    {
        await using var host = await StartAsync();
        var demo = await host.DemoOrgAsync();
        using var admin = host.Admin();

        // Links written before the API validated them (an import, say): the API would refuse them, the store takes them.
        const string brokenUrl = "htp:/handbook";
        var orgs = host.Services.GetRequiredService<OrgStore>();
        Assert.True(await orgs.UpdateAsync(demo with { DocumentationLinks = [new DocumentationLink("Handbook", brokenUrl)] }, Ct));

        var started = await host.AddUserAsync(admin, demo.Id, "Katherine.Johnson@Partner.example", "Katherine", "Johnson");
        var failed = await host.WaitAsync(started.ExecutionId);

        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(PartnerWorkflowNames.ShareDocumentation, failed.CurrentStepId);
        Assert.Contains(brokenUrl, failed.GetStep(PartnerWorkflowNames.ShareDocumentation).Error, StringComparison.Ordinal);
        Assert.Contains("Fix the org's documentation links, then retry the step", failed.Error, StringComparison.Ordinal);

        const string fixedUrl = "https://docs.example.com/handbook-fixed";
        var update = await admin.PutAsJsonAsync($"/api/orgs/{demo.Id}", new
        {
            name = demo.Name,
            active = demo.Active,
            metabase_group_id = demo.MetabaseGroupId,
            teams_team_id = demo.TeamsTeamId,
            teams_channel_id = demo.TeamsChannelId,
            slack_user_group_id = demo.SlackUserGroupId,
            slack_channel_id = demo.SlackChannelId,
            atlassian_group_id = demo.AtlassianGroupId,
            documentation_links = new[] { new { title = "Handbook", url = fixedUrl } },
            allowed_email_domains = demo.AllowedEmailDomains,
        }, Ct);
        Assert.True(update.StatusCode == HttpStatusCode.OK, await update.Content.ReadAsStringAsync(Ct));

        var retried = await admin.PostAsJsonAsync($"/api/executions/{started.ExecutionId}/retry", new { reason = "links fixed" }, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var done = await host.WaitAsync(started.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var mail = Assert.Single(host.Sandbox.Smtp.Messages, m => m.EnvelopeRecipients.Contains("Katherine.Johnson@Partner.example", StringComparer.OrdinalIgnoreCase));
        Assert.Contains(fixedUrl, mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(brokenUrl, mail.HtmlBody, StringComparison.Ordinal);

        // Each attempt shows the links it was given: the broken ones, then the fixed ones.
        var attempts = done.GetStep(PartnerWorkflowNames.ShareDocumentation).Attempts;
        Assert.Equal([AttemptOutcome.Failed, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome));
        Assert.Equal(
            [brokenUrl, fixedUrl],
            attempts.Select(a => a.Input!.Value.GetProperty("links")[0].GetProperty("url").GetString()));
        Assert.Equal(PartnerUserStatus.Active, (await host.GetUserAsync(started.User.Id)).Status);
    }
}
