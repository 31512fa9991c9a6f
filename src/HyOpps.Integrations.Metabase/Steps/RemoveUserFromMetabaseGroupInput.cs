namespace HyOpps.Integrations.Metabase;

/// <summary>The input of <see cref="RemoveUserFromMetabaseGroupStep"/>: the account the person's onboarding recorded, and the group.</summary>
public sealed record RemoveUserFromMetabaseGroupInput
{
    /// <summary>Gets the Metabase user id recorded by the person's onboarding; never one found afresh by email.</summary>
    public required int MetabaseUserId { get; init; }

    /// <summary>Gets the Metabase permission group id.</summary>
    public required int GroupId { get; init; }
}
