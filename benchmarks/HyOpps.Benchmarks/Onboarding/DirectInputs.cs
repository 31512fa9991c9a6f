using System.Text.Json;
using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using HyOpps.Onboarding;
using HyOpps.Workflows;

namespace HyOpps.Benchmarks.Onboarding;

/// <summary>
/// The inputs the direct baseline gives the typed steps. With no runtime there is no definition to map them, so this is the
/// mapping of HyOpps.Onboarding's new_partner_user for orgs that use every integration, written out for the baseline only.
/// </summary>
internal static class DirectInputs
{
    public static JsonElement? For(string stepId, StepContext context)
    {
        var input = context.GetInput<PartnerOnboardingInput>();
        var (org, user) = (input.Org, input.User);
        object? mapped = stepId switch
        {
            CreateMetabaseAccountStep.Id => new CreateMetabaseAccountInput { Email = user.NormalizedEmail, FirstName = user.FirstName, LastName = user.LastName },
            AddUserToMetabaseGroupStep.Id => new AddUserToMetabaseGroupInput
            {
                Email = user.NormalizedEmail,
                GroupId = org.MetabaseGroupId ?? 0,
                MetabaseUserId = context.GetOutput<CreateMetabaseAccountOutput>(CreateMetabaseAccountStep.Id).MetabaseUserId,
            },
            InviteToTeamsStep.Id => new InviteToTeamsInput { Email = user.NormalizedEmail, DisplayName = user.DisplayName },
            AddUserToTeamsChannelStep.Id => new AddUserToTeamsChannelInput
            {
                TeamsUserId = context.GetOutput<InviteToTeamsOutput>(InviteToTeamsStep.Id).TeamsUserId,
                TeamId = org.TeamsTeamId!,
                ChannelId = org.TeamsChannelId,
            },
            AddUserToSlackGroupStep.Id => new AddUserToSlackGroupInput
            {
                Email = user.NormalizedEmail,
                DisplayName = user.DisplayName,
                UserGroupId = org.SlackUserGroupId!,
                ChannelId = org.SlackChannelId,
            },
            AddUserToAtlassianGroupStep.Id => new AddUserToAtlassianGroupInput { Email = user.NormalizedEmail, GroupId = org.AtlassianGroupId! },
            ShareDocumentationStep.Id => new ShareDocumentationInput
            {
                Email = user.Email.Trim(),
                FirstName = user.FirstName,
                LastName = user.LastName,
                OrgName = org.Name,
                Links = [.. org.DocumentationLinks.Select(l => new DocumentationEmailLink(l.Title, l.Url))],
            },
            _ => null,
        };
        return mapped is null ? null : JsonSerializer.SerializeToElement(mapped, mapped.GetType(), HyOppsJson.SerializerOptions);
    }
}
