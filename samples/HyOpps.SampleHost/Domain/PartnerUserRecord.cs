using System.Globalization;
using HyOpps.Onboarding;

namespace HyOpps.SampleHost.Domain;

/// <summary>The host's own record of a partner user and the external ids the onboarding found.</summary>
public sealed record PartnerUserRecord
{
    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public required string Email { get; init; }

    public required string NormalizedEmail { get; init; }

    public required string FirstName { get; init; }

    public required string LastName { get; init; }

    public required string Status { get; init; }

    /// <summary>Gets how many times the person was onboarded into this org (a removed person can be added again).</summary>
    public int Generation { get; init; } = 1;

    public int? MetabaseUserId { get; init; }

    public string? TeamsUserId { get; init; }

    public string? SlackUserId { get; init; }

    public string? AtlassianAccountId { get; init; }

    /// <summary>Gets a value indicating whether HyOpps created (or reactivated) the Metabase account, rather than finding it.</summary>
    public bool MetabaseCreated { get; init; }

    public bool TeamsCreated { get; init; }

    public bool SlackCreated { get; init; }

    public bool AtlassianCreated { get; init; }

    public string? OnboardingExecutionId { get; init; }

    public string? OffboardingExecutionId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets why the onboarding ended before it finished (<see cref="CutShortReasons"/>), or null when it did not.</summary>
    public string? CutShortReason { get; init; }

    /// <summary>Gets when the host began cleaning up after the cut-short onboarding.</summary>
    public DateTimeOffset? CutShortAt { get; init; }

    /// <summary>Gets a value indicating whether the onboarding recorded any external account.</summary>
    public bool HasRecordedAccounts => MetabaseUserId is not null || TeamsUserId is not null || SlackUserId is not null || AtlassianAccountId is not null;

    /// <summary>Gets the accounts the person's onboarding recorded, as the offboarding workflow's input carries them.</summary>
    public RecordedAccounts ToRecordedAccounts() => new()
    {
        Metabase = MetabaseUserId is { } metabase ? new RecordedAccount { Id = metabase.ToString(CultureInfo.InvariantCulture), CreatedByHyOpps = MetabaseCreated } : null,
        Teams = TeamsUserId is { } teams ? new RecordedAccount { Id = teams, CreatedByHyOpps = TeamsCreated } : null,
        Slack = SlackUserId is { } slack ? new RecordedAccount { Id = slack, CreatedByHyOpps = SlackCreated } : null,
        Atlassian = AtlassianAccountId is { } atlassian ? new RecordedAccount { Id = atlassian, CreatedByHyOpps = AtlassianCreated } : null,
    };
}
