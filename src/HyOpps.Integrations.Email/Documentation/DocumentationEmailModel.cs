namespace HyOpps.Integrations.Email;

/// <summary>What the documentation email is about: the org, the recipient and the org's links (all untrusted text).</summary>
public sealed record DocumentationEmailModel
{
    /// <summary>Gets the org's name.</summary>
    public required string OrgName { get; init; }

    /// <summary>Gets the recipient's first name.</summary>
    public required string FirstName { get; init; }

    /// <summary>Gets the recipient's last name.</summary>
    public required string LastName { get; init; }

    /// <summary>Gets the recipient's display name, "First Last".</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the recipient's email address.</summary>
    public required string Email { get; init; }

    /// <summary>Gets the documentation links, each an absolute http or https URL with a non-empty title.</summary>
    public required IReadOnlyList<DocumentationEmailLink> Links { get; init; }
}
