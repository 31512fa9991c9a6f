namespace HyOpps.Integrations.Slack.Internal;

/// <summary>A Slack user, as <c>users.lookupByEmail</c> and <c>users.info</c> return it (the fields HyOpps uses).</summary>
internal sealed record SlackUser
{
    /// <summary>Gets the user id (<c>U...</c> or <c>W...</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the workspace id (<c>T...</c>).</summary>
    public string? TeamId { get; init; }

    /// <summary>Gets the user name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the real name.</summary>
    public string? RealName { get; init; }

    /// <summary>Gets the email from the profile.</summary>
    public string? Email { get; init; }

    /// <summary>Gets a value indicating whether the account is deactivated.</summary>
    public bool Deleted { get; init; }

    /// <summary>Gets a value indicating whether the user is a bot.</summary>
    public bool IsBot { get; init; }

    /// <summary>Gets a value indicating whether the user is a multi-channel guest.</summary>
    public bool IsRestricted { get; init; }

    /// <summary>Gets a value indicating whether the user is a single-channel guest.</summary>
    public bool IsUltraRestricted { get; init; }

    /// <summary>Gets a value indicating whether the user is a workspace admin (<c>is_admin</c>).</summary>
    public bool IsAdmin { get; init; }

    /// <summary>Gets a value indicating whether the user is a workspace owner (<c>is_owner</c>).</summary>
    public bool IsOwner { get; init; }

    /// <summary>Gets a value indicating whether the user is the primary owner (<c>is_primary_owner</c>).</summary>
    public bool IsPrimaryOwner { get; init; }

    /// <summary>Gets a value indicating whether the user is an owner or admin, whom HyOpps never manages.</summary>
    public bool IsPrivileged => IsAdmin || IsOwner || IsPrimaryOwner;
}
