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

    /// <summary>Gets how many sign-ins failed in a row since the last success or lockout.</summary>
    public int FailedSignIns { get; init; }

    /// <summary>Gets the end of the current sign-in lockout; null when the account is not locked out.</summary>
    public DateTimeOffset? LockedOutUntil { get; init; }

    /// <summary>Gets a random value that changes on sign-out and password change; a session cookie carrying another value is refused.</summary>
    public string SecurityStamp { get; init; } = string.Empty;
}
