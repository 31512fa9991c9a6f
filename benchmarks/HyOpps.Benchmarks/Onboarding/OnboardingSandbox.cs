using HyOpps.Onboarding;
using HyOpps.Testing.Sandbox;

namespace HyOpps.Benchmarks.Onboarding;

/// <summary>
/// The benchmark's use of <see cref="HyOppsSandbox"/>: without eventual-consistency delays, and with people who already have Slack and
/// Atlassian accounts, so that the benchmark measures work rather than waits.
/// </summary>
internal static class OnboardingSandbox
{
    public static Task<HyOppsSandbox> StartAsync() => HyOppsSandbox.StartAsync(new HyOppsSandboxOptions { EventualConsistency = false });

    /// <summary>Creates the org's resources in every simulator and returns the org that points at them.</summary>
    public static PartnerOrg ProvisionPartnerOrg(this HyOppsSandbox sandbox, string orgName, int number)
    {
        var ids = sandbox.ProvisionOrg(orgName);
        return new PartnerOrg
        {
            Id = $"org{number}",
            Name = orgName,
            Active = true,
            MetabaseGroupId = ids.MetabaseGroupId,
            TeamsTeamId = ids.TeamsTeamId,
            TeamsChannelId = ids.TeamsChannelId,
            SlackUserGroupId = ids.SlackUserGroupId,
            SlackChannelId = ids.SlackChannelId,
            AtlassianGroupId = ids.AtlassianGroupId,
            DocumentationLinks =
            [
                new DocumentationLink("Partner handbook", "https://docs.example.com/partners/handbook"),
                new DocumentationLink("Dashboards guide", "https://docs.example.com/partners/metabase"),
            ],
        };
    }

    /// <summary>Gives a person Slack and Atlassian accounts, so those steps find them instead of inviting them and waiting.</summary>
    public static void AddPerson(this HyOppsSandbox sandbox, string email, string displayName)
    {
        sandbox.Slack.AddUser(email, displayName);
        sandbox.Atlassian.AddAccount(email, displayName);
    }
}
