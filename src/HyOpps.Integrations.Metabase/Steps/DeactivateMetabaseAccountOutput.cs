namespace HyOpps.Integrations.Metabase;

/// <summary>The output of <see cref="DeactivateMetabaseAccountStep"/>: <c>{"metabase_user_id": 42, "action": "deactivated"}</c>.</summary>
public sealed record DeactivateMetabaseAccountOutput
{
    /// <summary>The <see cref="Action"/> when the step deactivated the user.</summary>
    public const string Deactivated = "deactivated";

    /// <summary>The <see cref="Action"/> when the user was deactivated already.</summary>
    public const string AlreadyInactive = "already_inactive";

    /// <summary>The <see cref="Action"/> when the recorded Metabase user no longer exists.</summary>
    public const string NotFound = "not_found";

    /// <summary>The <see cref="Action"/> of a skipped step: the account existed before onboarding, so it stays active.</summary>
    public const string NotOurs = "existed_before_onboarding";

    /// <summary>Gets the recorded Metabase user id.</summary>
    public int? MetabaseUserId { get; init; }

    /// <summary>Gets what the step did: <see cref="Deactivated"/>, <see cref="AlreadyInactive"/>, <see cref="NotFound"/> or (skipped) <see cref="NotOurs"/>.</summary>
    public required string Action { get; init; }
}
