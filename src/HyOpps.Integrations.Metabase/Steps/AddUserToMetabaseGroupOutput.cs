namespace HyOpps.Integrations.Metabase;

/// <summary>The output of <see cref="AddUserToMetabaseGroupStep"/>: <c>{"metabase_user_id": 42, "metabase_group_id": 7, "verified": true, ...}</c>.</summary>
public sealed record AddUserToMetabaseGroupOutput
{
    /// <summary>The <see cref="Action"/> when the step added the membership.</summary>
    public const string Added = "added";

    /// <summary>The <see cref="Action"/> when the user was in the group already.</summary>
    public const string AlreadyMember = "already_member";

    /// <summary>Gets the Metabase user id.</summary>
    public required int MetabaseUserId { get; init; }

    /// <summary>Gets the Metabase group id.</summary>
    public required int MetabaseGroupId { get; init; }

    /// <summary>Gets the group's name.</summary>
    public string? MetabaseGroupName { get; init; }

    /// <summary>Gets what the step did: <see cref="Added"/> or <see cref="AlreadyMember"/>.</summary>
    public required string Action { get; init; }

    /// <summary>Gets a value indicating whether <c>GET /api/user/:id</c> was read back and lists the group; always <see langword="true"/> in a success.</summary>
    public bool Verified { get; init; }
}
