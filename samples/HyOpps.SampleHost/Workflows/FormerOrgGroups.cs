using System.Globalization;
using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using System.Text.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>
/// The sample's workflow remove_from_former_org_groups: when an admin changes or clears an org's Metabase group, Teams team, Slack
/// user group or Atlassian group, each active user is taken out of the former one by the integrations' own remove steps, acting
/// only on the accounts their onboarding recorded. Accounts stay; nobody is added to the new group by this workflow.
/// </summary>
public static class FormerOrgGroups
{
    public const string Name = "remove_from_former_org_groups";

    /// <summary>Defines the workflow: four steps, each skipped unless the input names its integration's former group and a recorded account.</summary>
    public static void Define(WorkflowBuilder wf, RetryPolicy retry)
    {
        ArgumentNullException.ThrowIfNull(wf);
        wf.Version(1)
            .Step<RemoveUserFromMetabaseGroupStep>(RemoveUserFromMetabaseGroupStep.Id, s => s
                .Input(static c => Map(c, static i => new RemoveUserFromMetabaseGroupInput
                {
                    MetabaseUserId = i.Accounts.Metabase is { } m ? int.Parse(m.Id, CultureInfo.InvariantCulture) : 0,
                    GroupId = i.MetabaseGroupId ?? 0,
                }))
                .When(static (i, c, ct) => ActsAsync(c, i.GroupId > 0 && i.MetabaseUserId > 0, org => org.MetabaseGroupId == i.GroupId, ct), "No former Metabase group, or no Metabase account recorded, or the org uses this group again.")
                .WithRetry(retry))
            .Step<RemoveUserFromTeamsStep>(RemoveUserFromTeamsStep.Id, s => s
                .Input(static c => Map(c, static i => new RemoveUserFromTeamsInput
                {
                    TeamsUserId = i.Accounts.Teams?.Id ?? string.Empty,
                    Email = i.Email,
                    TeamId = i.TeamsTeamId ?? string.Empty,
                }))
                .When(static (i, c, ct) => ActsAsync(c, i.TeamId.Length > 0 && i.TeamsUserId.Length > 0, org => org.TeamsTeamId == i.TeamId, ct), "No former Teams team, or no Teams user recorded, or the org uses this group again.")
                .WithRetry(retry))
            .Step<RemoveUserFromSlackGroupStep>(RemoveUserFromSlackGroupStep.Id, s => s
                .Input(static c => Map(c, static i => new RemoveUserFromSlackGroupInput
                {
                    SlackUserId = i.Accounts.Slack?.Id ?? string.Empty,
                    Email = i.Email,
                    UserGroupId = i.SlackUserGroupId ?? string.Empty,
                }))
                .When(static (i, c, ct) => ActsAsync(c, i.UserGroupId.Length > 0 && i.SlackUserId.Length > 0, org => org.SlackUserGroupId == i.UserGroupId, ct), "No former Slack user group, or no Slack user recorded, or the org uses this group again.")
                .WithRetry(retry))
            .Step<RemoveUserFromAtlassianGroupStep>(RemoveUserFromAtlassianGroupStep.Id, s => s
                .Input(static c => Map(c, static i => new RemoveUserFromAtlassianGroupInput
                {
                    AccountId = i.Accounts.Atlassian?.Id ?? string.Empty,
                    GroupId = i.AtlassianGroupId ?? string.Empty,
                }))
                .When(static (i, c, ct) => ActsAsync(c, i.GroupId.Length > 0 && i.AccountId.Length > 0, org => org.AtlassianGroupId == i.GroupId, ct), "No former Atlassian group, or no Atlassian account recorded, or the org uses this group again.")
                .WithRetry(retry));
    }

    private static T Map<T>(StepContext context, Func<FormerOrgGroupInput, T> map) => map(context.GetInput<FormerOrgGroupInput>());

    // The org is read at the attempt: a group changed back since the removal was started is the org's again, and taking the
    // user out of it would be wrong.
    private static async ValueTask<bool> ActsAsync(StepContext context, bool named, Func<OrgRecord, bool> isCurrent, CancellationToken cancellationToken)
    {
        if (!named)
        {
            return false;
        }

        var orgId = context.GetInput<FormerOrgGroupInput>().OrgId;
        var org = await context.Services.GetRequiredService<OrgStore>().GetAsync(orgId, cancellationToken);
        return org is null || !isCurrent(org);
    }

    /// <summary>
    /// Plans the removals an org change calls for: per active user, one start for each integration whose group id changed or was
    /// cleared and of which the user has a recorded account. Pure: the caller writes the starts with the org change.
    /// </summary>
    internal static IReadOnlyList<FormerGroupRemoval> Plan(OrgRecord before, OrgRecord after, IReadOnlyList<PartnerUserRecord> activeUsers, string actor, DateTimeOffset now)
    {
        var changeId = Sql.NewId();
        var removals = new List<FormerGroupRemoval>();
        foreach (var user in activeUsers)
        {
            var accounts = user.ToRecordedAccounts();
            var template = new FormerOrgGroupInput { OrgId = after.Id, Email = user.NormalizedEmail, Accounts = accounts };
            void Add(string integration, string? former, string? current, RecordedAccount? account, FormerOrgGroupInput input)
            {
                if (former is null || former == current || account is null)
                {
                    return;
                }

                var start = new PendingStart
                {
                    Id = Sql.NewId(),
                    UserId = user.Id,
                    Generation = user.Generation,
                    WorkflowName = Name,
                    IdempotencyKey = $"{Name}:{changeId}:{user.Id}:{integration}",
                    Input = JsonSerializer.Serialize(input, HyOppsJson.SerializerOptions),
                    Labels = PartnerUserService.Labels(after.Id, user.NormalizedEmail),
                    Actor = actor,
                    CreatedAt = now,
                };
                removals.Add(new FormerGroupRemoval(start, user.Id, user.Email, integration, former));
            }

            var formerMetabase = before.MetabaseGroupId?.ToString(CultureInfo.InvariantCulture);
            Add("metabase", formerMetabase, after.MetabaseGroupId?.ToString(CultureInfo.InvariantCulture), accounts.Metabase, template with { MetabaseGroupId = before.MetabaseGroupId });
            Add("teams", before.TeamsTeamId, after.TeamsTeamId, accounts.Teams, template with { TeamsTeamId = before.TeamsTeamId });
            Add("slack", before.SlackUserGroupId, after.SlackUserGroupId, accounts.Slack, template with { SlackUserGroupId = before.SlackUserGroupId });
            Add("atlassian", before.AtlassianGroupId, after.AtlassianGroupId, accounts.Atlassian, template with { AtlassianGroupId = before.AtlassianGroupId });
        }

        return removals;
    }
}
