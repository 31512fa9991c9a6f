namespace HyOpps.Integrations.Metabase;

/// <summary>The output of <see cref="DeactivateMetabaseAccountStep"/>: <c>{"metabase_user_id": 42, "action": "deactivated"}</c>.</summary>
public sealed record DeactivateMetabaseAccountOutput
{
    /// <summary>The <see cref="Action"/> when the step deactivated the user.</summary>
    public const string Deactivated = "deactivated";

    /// <summary>The <see cref="Action"/> when the user was deactivated already.</summary>
    public const string AlreadyInactive = "already_inactive";

    /// <summary>The <see cref="Action"/> when no Metabase user has the email.</summary>
    public const string NotFound = "not_found";

    /// <summary>Gets the Metabase user id, when a user has the email.</summary>
    public int? MetabaseUserId { get; init; }

    /// <summary>Gets what the step did: <see cref="Deactivated"/>, <see cref="AlreadyInactive"/> or <see cref="NotFound"/>.</summary>
    public required string Action { get; init; }
}
