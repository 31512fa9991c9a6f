namespace HyOpps.Onboarding;

/// <summary>The external accounts a person's onboarding recorded, one per integration; an absent one means offboarding skips that integration.</summary>
public sealed record RecordedAccounts
{
    /// <summary>Gets the Metabase account (its id is the numeric Metabase user id).</summary>
    public RecordedAccount? Metabase { get; init; }

    /// <summary>Gets the Microsoft Entra (Teams) user.</summary>
    public RecordedAccount? Teams { get; init; }

    /// <summary>Gets the Slack user.</summary>
    public RecordedAccount? Slack { get; init; }

    /// <summary>Gets the Atlassian account.</summary>
    public RecordedAccount? Atlassian { get; init; }
}
