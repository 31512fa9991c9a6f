namespace HyOpps.Integrations.Email;

/// <summary>The input of <see cref="ShareDocumentationStep"/>: the recipient, the org's name and the links to send.</summary>
public sealed record ShareDocumentationInput
{
    /// <summary>Gets the recipient's email address.</summary>
    public required string Email { get; init; }

    /// <summary>Gets the recipient's first name.</summary>
    public required string FirstName { get; init; }

    /// <summary>Gets the recipient's last name.</summary>
    public required string LastName { get; init; }

    /// <summary>Gets the name of the org whose documentation is shared.</summary>
    public required string OrgName { get; init; }

    /// <summary>Gets the links to send; each must be an absolute http or https URL, or the step fails naming the bad ones.</summary>
    public required IReadOnlyList<DocumentationEmailLink> Links { get; init; }
}
