namespace HyOpps.Onboarding;

/// <summary>An external account that a person's onboarding recorded: the id its step output, and whether HyOpps made it.</summary>
/// <remarks>Offboarding acts only on recorded accounts, never on an account found afresh by email.</remarks>
public sealed record RecordedAccount
{
    /// <summary>Gets the id in the external system (a Metabase user id, an Entra object id, a Slack user id, an Atlassian account id).</summary>
    public required string Id { get; init; }

    /// <summary>
    /// Gets a value indicating whether HyOpps created (or reactivated) the account; <see langword="false"/> when onboarding found it
    /// existing, in which case offboarding only removes it from the org's group, team or channel and never deactivates it.
    /// </summary>
    public bool CreatedByHyOpps { get; init; }
}
