namespace HyOpps.Integrations.Metabase;

/// <summary>The output of <see cref="RemoveUserFromMetabaseGroupStep"/>: <c>{"metabase_group_id": 7, "action": "removed", "verified": true, ...}</c>.</summary>
public sealed record RemoveUserFromMetabaseGroupOutput
{
    /// <summary>The <see cref="Action"/> when the step removed the membership.</summary>
    public const string Removed = "removed";

    /// <summary>The <see cref="Action"/> when the user was not in the group.</summary>
    public const string NotMember = "not_member";

    /// <summary>The <see cref="Action"/> when the recorded Metabase user no longer exists.</summary>
    public const string UserNotFound = "user_not_found";

    /// <summary>The <see cref="Action"/> when the group does not exist (so nobody is in it).</summary>
    public const string GroupNotFound = "group_not_found";

    /// <summary>Gets the recorded Metabase user id.</summary>
    public int? MetabaseUserId { get; init; }

    /// <summary>Gets the Metabase group id.</summary>
    public required int MetabaseGroupId { get; init; }

    /// <summary>Gets what the step did: <see cref="Removed"/>, <see cref="NotMember"/>, <see cref="UserNotFound"/> or <see cref="GroupNotFound"/>.</summary>
    public required string Action { get; init; }

    /// <summary>Gets a value indicating whether the user is confirmed out of the group; always <see langword="true"/> in a success.</summary>
    public bool Verified { get; init; }
}
