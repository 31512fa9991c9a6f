namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>A Metabase user as <c>GET /api/user</c>, <c>GET /api/user/:id</c> and <c>POST /api/user</c> answer it.</summary>
internal sealed record MetabaseUserDto
{
    public int Id { get; init; }

    public string? Email { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public bool IsActive { get; init; } = true;

    public bool IsSuperuser { get; init; }

    /// <summary>Gets the memberships; each entry's <c>id</c> is the GROUP id (not a membership id).</summary>
    public IReadOnlyList<MetabaseGroupRefDto>? UserGroupMemberships { get; init; }

    /// <summary>Gets the group ids of list responses (and of GET by id in old versions).</summary>
    public IReadOnlyList<int>? GroupIds { get; init; }

    /// <summary>Gets the ids of the user's groups from whichever field the server sent.</summary>
    public IReadOnlyList<int> AllGroupIds => UserGroupMemberships?.Select(m => m.Id).ToArray() ?? GroupIds ?? [];
}

internal sealed record MetabaseGroupRefDto
{
    public int Id { get; init; }

    public bool? IsGroupManager { get; init; }
}

internal sealed record MetabaseGroupDto
{
    public int Id { get; init; }

    public string? Name { get; init; }

    public int? MemberCount { get; init; }

    public string? MagicGroupType { get; init; }

    /// <summary>Gets a value indicating whether this is the "All Users" group, which nobody can be added to or removed from.</summary>
    public bool IsAllUsers => MagicGroupType is not null
        ? MagicGroupType == "all-internal-users"
        : string.Equals(Name, "All Users", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets a value indicating whether this is the "Administrators" group.</summary>
    public bool IsAdministrators => MagicGroupType is not null
        ? MagicGroupType == "admin"
        : string.Equals(Name, "Administrators", StringComparison.OrdinalIgnoreCase);
}

internal sealed record MetabaseMembershipDto
{
    public int MembershipId { get; init; }

    public int GroupId { get; init; }

    public int UserId { get; init; }

    public bool? IsGroupManager { get; init; }
}
