using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using static HyOpps.Onboarding.Internal.PartnerData;

namespace HyOpps.Onboarding.Internal;

/// <summary>The two workflows: each step's input is mapped from the person and the org as it is at the attempt; skip rules live here.</summary>
internal static class PartnerOnboardingDefinitions
{
    public static void Onboarding(WorkflowBuilder wf, PartnerOnboardingOptions o)
    {
        wf.Version(1);
        o.BeforeOnboarding?.Invoke(wf);
        wf
            // The account's own input names no group, so this rule reads the org as the host has it at the attempt.
            .Step<RecordingStep<CreateMetabaseAccountStep, CreateMetabaseAccountInput>>(CreateMetabaseAccountStep.Id, s => s
                .WithRetry(o.DefaultRetryPolicy)
                .Input(static (c, ct) => Map(c, static (_, user, _) => new CreateMetabaseAccountInput
                {
                    Email = user.NormalizedEmail,
                    FirstName = user.FirstName,
                    LastName = user.LastName,
                }, ct))
                .When(static (_, c, ct) => OrgHasAsync(c, static org => org.MetabaseGroupId is not null, ct), "The org has no Metabase group id, so no Metabase account is made."))
            .Step<AddUserToMetabaseGroupStep>(AddUserToMetabaseGroupStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, context) => new AddUserToMetabaseGroupInput
                {
                    Email = user.NormalizedEmail,
                    GroupId = org.MetabaseGroupId ?? 0,
                    MetabaseUserId = OutputOrDefault<CreateMetabaseAccountOutput>(context, CreateMetabaseAccountStep.Id)?.MetabaseUserId,
                }, ct))
                .When(static i => i.GroupId > 0, "The org has no Metabase group id.")
                .WithRetry(o.DefaultRetryPolicy))
            .Step<RecordingStep<InviteToTeamsStep, InviteToTeamsInput>>(InviteToTeamsStep.Id, s => s
                .WithRetry(o.DefaultRetryPolicy)
                .Input(static (c, ct) => Map(c, static (_, user, _) => new InviteToTeamsInput { Email = user.NormalizedEmail, DisplayName = user.DisplayName }, ct))
                .When(static (_, c, ct) => OrgHasAsync(c, static org => !string.IsNullOrWhiteSpace(org.TeamsTeamId), ct), "The org has no Microsoft Teams team id."))
            .Step<AddUserToTeamsChannelStep>(AddUserToTeamsChannelStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, _, context) => new AddUserToTeamsChannelInput
                {
                    TeamsUserId = OutputOrDefault<InviteToTeamsOutput>(context, InviteToTeamsStep.Id)?.TeamsUserId ?? string.Empty,
                    TeamId = Text(org.TeamsTeamId),
                    ChannelId = org.TeamsChannelId,
                }, ct))
                .When(static i => i.TeamId.Length > 0, "The org has no Microsoft Teams team id.")
                .WithRetry(o.TeamsVisibilityRetryPolicy))
            .Step<RecordingStep<AddUserToSlackGroupStep, AddUserToSlackGroupInput>>(AddUserToSlackGroupStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, _) => new AddUserToSlackGroupInput
                {
                    Email = user.NormalizedEmail,
                    DisplayName = user.DisplayName,
                    UserGroupId = Text(org.SlackUserGroupId),
                    ChannelId = org.SlackChannelId,
                }, ct))
                .When(static i => i.UserGroupId.Length > 0, "The org has no Slack user group.")
                .WithRetry(o.AccountWaitRetryPolicy))
            .Step<RecordingStep<AddUserToAtlassianGroupStep, AddUserToAtlassianGroupInput>>(AddUserToAtlassianGroupStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, _) => new AddUserToAtlassianGroupInput { Email = user.NormalizedEmail, GroupId = Text(org.AtlassianGroupId) }, ct))
                .When(static i => i.GroupId.Length > 0, "The org has no Atlassian group id.")
                .WithRetry(o.AccountWaitRetryPolicy))
            .Step<ShareDocumentationStep>(ShareDocumentationStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, _) => new ShareDocumentationInput
                {
                    Email = user.Email.Trim(),
                    FirstName = user.FirstName,
                    LastName = user.LastName,
                    OrgName = org.Name,
                    Links = [.. org.DocumentationLinks.Select(static l => new DocumentationEmailLink(l.Title, l.Url))],
                }, ct))
                .When(static i => i.Links.Count > 0, "The org has no documentation links; no email was sent.")
                .WithRetry(o.DefaultRetryPolicy));
        o.AfterOnboarding?.Invoke(wf);
    }

    public static void Offboarding(WorkflowBuilder wf, PartnerOnboardingOptions o)
    {
        const string NotRecorded = "offboarding touches only accounts recorded by the person's onboarding";
        wf.Version(1)
            .Step<RemoveUserFromMetabaseGroupStep>(RemoveUserFromMetabaseGroupStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, _) => new RemoveUserFromMetabaseGroupInput
                {
                    MetabaseUserId = RecordedMetabaseUserId(user),
                    GroupId = org.MetabaseGroupId ?? 0,
                }, ct))
                .When(static i => i.GroupId > 0 && i.MetabaseUserId > 0, $"The org has no Metabase group id, or no Metabase account was recorded ({NotRecorded}).")
                .WithRetry(o.DefaultRetryPolicy))
            .Step<DeactivateMetabaseAccountStep>(DeactivateMetabaseAccountStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (_, user, _) => new DeactivateMetabaseAccountInput
                {
                    MetabaseUserId = RecordedMetabaseUserId(user),
                    CreatedByHyOpps = user.Accounts.Metabase?.CreatedByHyOpps == true,
                }, ct))
                .When(static i => i.MetabaseUserId > 0, $"No Metabase account was recorded ({NotRecorded}).")
                .WithRetry(o.DefaultRetryPolicy))
            .Step<RemoveUserFromTeamsStep>(RemoveUserFromTeamsStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, _) => new RemoveUserFromTeamsInput
                {
                    TeamsUserId = Text(user.Accounts.Teams?.Id),
                    Email = user.NormalizedEmail,
                    TeamId = Text(org.TeamsTeamId),
                }, ct))
                .When(static i => i.TeamId.Length > 0 && i.TeamsUserId.Length > 0, $"The org has no Microsoft Teams team id, or no Teams user was recorded ({NotRecorded}).")
                .WithRetry(o.DefaultRetryPolicy))
            .Step<RemoveUserFromSlackGroupStep>(RemoveUserFromSlackGroupStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, _) => new RemoveUserFromSlackGroupInput
                {
                    SlackUserId = Text(user.Accounts.Slack?.Id),
                    Email = user.NormalizedEmail,
                    UserGroupId = Text(org.SlackUserGroupId),
                }, ct))
                .When(static i => i.UserGroupId.Length > 0 && i.SlackUserId.Length > 0, $"The org has no Slack user group, or no Slack user was recorded ({NotRecorded}).")
                .WithRetry(o.DefaultRetryPolicy))
            .Step<RemoveUserFromAtlassianGroupStep>(RemoveUserFromAtlassianGroupStep.Id, s => s
                .Input(static (c, ct) => Map(c, static (org, user, _) => new RemoveUserFromAtlassianGroupInput
                {
                    AccountId = Text(user.Accounts.Atlassian?.Id),
                    GroupId = Text(org.AtlassianGroupId),
                }, ct))
                .When(static i => i.GroupId.Length > 0 && i.AccountId.Length > 0, $"The org has no Atlassian group id, or no Atlassian account was recorded ({NotRecorded}).")
                .WithRetry(o.DefaultRetryPolicy));
        o.AfterOffboarding?.Invoke(wf);
    }

    private static async ValueTask<T> Map<T>(StepContext context, Func<PartnerOrg, PartnerUser, StepContext, T> map, CancellationToken cancellationToken)
    {
        var (org, user) = await LoadAsync(context, cancellationToken).ConfigureAwait(false);
        return map(org, user, context);
    }
}
