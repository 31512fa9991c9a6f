namespace HyOpps.Onboarding;

/// <summary>The names of the partner onboarding workflows that <c>AddPartnerOnboarding</c> registers.</summary>
public static class PartnerOnboardingWorkflows
{
    /// <summary>The onboarding workflow: Metabase account and group, Teams guest and team, Slack user group, Atlassian group, documentation email.</summary>
    public const string NewPartnerUser = "new_partner_user";

    /// <summary>The offboarding workflow: it acts only on the accounts recorded by the person's onboarding.</summary>
    public const string RemovePartnerUser = "remove_partner_user";
}
