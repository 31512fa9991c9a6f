namespace HyOpps.SampleHost.Domain;

/// <summary>A person or script that signs in to the sample host.</summary>
public sealed record Account
{
    public required string Id { get; init; }

    public required string UserName { get; init; }

    public required string PasswordHash { get; init; }

    public required string Role { get; init; }

    /// <summary>Gets the org a partner admin is bound to; null for an admin.</summary>
    public string? OrgId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
