namespace HyOpps.Integrations.Metabase;

/// <summary>The output of <see cref="CreateMetabaseAccountStep"/>: <c>{"metabase_user_id": 42, "action": "created"}</c>.</summary>
public sealed record CreateMetabaseAccountOutput
{
    /// <summary>The <see cref="Action"/> of a user that existed and was active.</summary>
    public const string Found = "found";

    /// <summary>The <see cref="Action"/> of a deactivated user that was reactivated.</summary>
    public const string Reactivated = "reactivated";

    /// <summary>The <see cref="Action"/> of a user that was created.</summary>
    public const string Created = "created";

    /// <summary>Gets the Metabase user id.</summary>
    public required int MetabaseUserId { get; init; }

    /// <summary>Gets what the step did: <see cref="Found"/>, <see cref="Reactivated"/> or <see cref="Created"/>.</summary>
    public required string Action { get; init; }
}
