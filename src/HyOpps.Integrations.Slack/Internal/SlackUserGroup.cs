namespace HyOpps.Integrations.Slack.Internal;

/// <summary>A Slack user group, as <c>usergroups.list</c> returns it (the fields HyOpps uses).</summary>
internal sealed record SlackUserGroup
{
    /// <summary>Gets the user group id (<c>S...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the workspace id (<c>T...</c>).</summary>
    public string? TeamId { get; init; }

    /// <summary>Gets the display name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the mention handle, without the <c>@</c>.</summary>
    public string? Handle { get; init; }

    /// <summary>Gets the description.</summary>
    public string? Description { get; init; }

    /// <summary>Gets a value indicating whether the group is disabled (<c>date_delete</c> is not 0).</summary>
    public bool IsDisabled { get; init; }

    /// <summary>Gets the member ids, when requested with <c>include_users</c>; otherwise empty.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Gets the member count, when Slack returned it.</summary>
    public int? UserCount { get; init; }
}
