using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using static HyOpps.SampleHost.Tests.PagesTests;
using static HyOpps.SampleHost.Tests.SampleTestHost;
using static HyOpps.SampleHost.Tests.SecurityTests;

namespace HyOpps.SampleHost.Tests;

/// <summary>An org's group ids changed or cleared: its active users are taken out of the former groups (remove_from_former_org_groups).</summary>
public sealed class FormerOrgGroupsTests
{
    [Fact]
    public async Task PutOrg_GroupsChangedAndCleared_RemovesActiveUsersFromTheFormerGroupsOnly()
    {
        await using var host = await StartAsync();
        var org = await host.CreateOrgAsync("Regrouped");
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, org.Id, "ken@regrouped.example", "Ken", "Thompson");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
        var user = await host.GetUserAsync(started.User.Id);
        var sandbox = host.Sandbox;
        Assert.Contains(org.MetabaseGroupId!.Value, sandbox.Metabase.GetGroupIdsOfUser(user.MetabaseUserId!.Value));
        Assert.Contains(user.SlackUserId!, sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!));
        Assert.Contains(user.AtlassianAccountId!, sandbox.Atlassian.GetGroupMembers(org.AtlassianGroupId!));
        var next = sandbox.ProvisionOrg("Regrouped next");

        // Metabase and Slack move to new groups, Atlassian is cleared, Teams stays.
        var response = await admin.PutAsJsonAsync($"/api/orgs/{org.Id}", new
        {
            name = org.Name,
            metabase_group_id = next.MetabaseGroupId,
            teams_team_id = org.TeamsTeamId,
            teams_channel_id = org.TeamsChannelId,
            slack_user_group_id = next.SlackUserGroupId,
            slack_channel_id = org.SlackChannelId,
            documentation_links = org.DocumentationLinks,
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var updated = (await response.Content.ReadFromJsonAsync<OrgResponse>(Json, Ct))!;

        Assert.Equal(next.MetabaseGroupId, updated.MetabaseGroupId);
        var removals = updated.FormerGroupRemovals!.OrderBy(r => r.Integration, StringComparer.Ordinal).ToList();
        Assert.Equal(["atlassian", "metabase", "slack"], removals.Select(r => r.Integration));
        Assert.All(removals, r => Assert.Equal((user.Id, user.Email), (r.UserId, r.Email)));
        Assert.Equal([org.AtlassianGroupId!, org.MetabaseGroupId.Value.ToString(CultureInfo.InvariantCulture), org.SlackUserGroupId!], removals.Select(r => r.FormerGroupId));
        foreach (var removal in removals)
        {
            var execution = await host.WaitAsync(removal.ExecutionId!);
            Assert.Equal(FormerOrgGroups.Name, execution.WorkflowName);
            Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
            Assert.Equal(org.Id, execution.Labels[PartnerWorkflowNames.OrgLabel]);
        }

        Assert.DoesNotContain(org.MetabaseGroupId.Value, sandbox.Metabase.GetGroupIdsOfUser(user.MetabaseUserId.Value));
        Assert.True(sandbox.Metabase.GetUser(user.MetabaseUserId.Value)!.IsActive);
        Assert.DoesNotContain(user.SlackUserId!, sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!));
        Assert.DoesNotContain(user.AtlassianAccountId!, sandbox.Atlassian.GetGroupMembers(org.AtlassianGroupId!));
        Assert.Contains(sandbox.Graph.GetTeamMembers(org.TeamsTeamId!), m => m.UserId == user.TeamsUserId);
        Assert.Equal("active", (await host.GetUserAsync(user.Id)).Status);

        // Saving again without changes starts nothing.
        var again = await admin.PutAsJsonAsync($"/api/orgs/{org.Id}", new { name = org.Name, metabase_group_id = next.MetabaseGroupId, teams_team_id = org.TeamsTeamId, slack_user_group_id = next.SlackUserGroupId }, Ct);
        Assert.Empty((await again.Content.ReadFromJsonAsync<OrgResponse>(Json, Ct))!.FormerGroupRemovals!);
    }

    [Fact]
    public async Task EditForm_OrgWithActiveUsers_WarnsBeforeSaving_AndSaysAfterwardsHowManyRemovalsStarted()
    {
        await using var host = await StartAsync();
        var demo = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, demo.Id, "edsger@partner.example", "Edsger", "Dijkstra");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
        var user = await host.GetUserAsync(started.User.Id);
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);

        var form = await PageAsync(client, cookies, $"/orgs/{demo.Id}/edit");
        Assert.Contains("data-testid=\"former-groups-warning\">This org has 1 active user.", form, StringComparison.Ordinal);
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups["value"].Value,
            ["Name"] = demo.Name,
            ["Active"] = "true",
            ["MetabaseGroupId"] = demo.MetabaseGroupId!.Value.ToString(CultureInfo.InvariantCulture),
            ["TeamsTeamId"] = demo.TeamsTeamId!,
            ["TeamsChannelId"] = demo.TeamsChannelId!,
            ["SlackUserGroupId"] = string.Empty,
            ["SlackChannelId"] = demo.SlackChannelId!,
            ["AtlassianGroupId"] = demo.AtlassianGroupId!,
            ["AllowedEmailDomains"] = string.Join(", ", demo.AllowedEmailDomains),
            ["DocumentationLinks"] = string.Join("\n", demo.DocumentationLinks.Select(l => $"{l.Title} | {l.Url}")),
        };
        var saved = await Send(client, cookies, HttpMethod.Post, $"/orgs/{demo.Id}/edit", fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/orgs/{demo.Id}?former_group_removals=1", saved.Headers.Location?.OriginalString);
        var page = await PageAsync(client, cookies, saved.Headers.Location!.OriginalString);
        Assert.Contains("data-testid=\"former-groups-notice\">Saved. Started 1 removal of active users from the org's former groups", page, StringComparison.Ordinal);
        var removal = Assert.Single((await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = FormerOrgGroups.Name }, Ct)).Items);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(removal.Id)).Status);
        Assert.DoesNotContain(user.SlackUserId!, host.Sandbox.Slack.GetUserGroupMembers(demo.SlackUserGroupId!));
    }

    [Fact]
    public async Task Removal_OfAGroupTheOrgUsesAgain_IsSkippedAndTheUserStays()
    {
        await using var host = await StartAsync();
        var demo = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, demo.Id, "alan@partner.example", "Alan", "Turing");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
        var user = await host.GetUserAsync(started.User.Id);

        // As if the group had been changed and changed back before this removal ran.
        var removal = await host.Workflows.StartAsync(FormerOrgGroups.Name, new FormerOrgGroupInput
        {
            OrgId = demo.Id,
            Email = user.Email,
            Accounts = new() { Metabase = new() { Id = user.MetabaseUserId!.Value.ToString(CultureInfo.InvariantCulture), CreatedByHyOpps = true } },
            MetabaseGroupId = demo.MetabaseGroupId,
        }, cancellationToken: Ct);
        var execution = await host.WaitAsync(removal.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(StepStatus.Skipped, execution.GetStep(PartnerWorkflowNames.RemoveUserFromMetabaseGroup).Status);
        Assert.Contains(demo.MetabaseGroupId!.Value, host.Sandbox.Metabase.GetGroupIdsOfUser(user.MetabaseUserId.Value));
    }

    private static async Task<string> PageAsync(HttpClient client, CookieJar cookies, string path)
    {
        var response = await Send(client, cookies, HttpMethod.Get, path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
