namespace HyOpps.Integrations.Metabase;

/// <summary>The input of <see cref="DeactivateMetabaseAccountStep"/>: the account the person's onboarding recorded, and whether HyOpps made it.</summary>
public sealed record DeactivateMetabaseAccountInput
{
    /// <summary>Gets the Metabase user id recorded by the person's onboarding; never one found afresh by email.</summary>
    public required int MetabaseUserId { get; init; }

    /// <summary>Gets a value indicating whether HyOpps created or reactivated the account; an account found existing is never deactivated.</summary>
    public required bool CreatedByHyOpps { get; init; }
}
