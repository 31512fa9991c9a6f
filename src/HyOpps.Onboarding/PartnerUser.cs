using System.Text.Json.Serialization;

namespace HyOpps.Onboarding;

/// <summary>The person being onboarded.</summary>
public sealed record PartnerUser
{
    /// <summary>Gets the email address.</summary>
    public required string Email { get; init; }

    /// <summary>Gets the first name.</summary>
    public required string FirstName { get; init; }

    /// <summary>Gets the last name.</summary>
    public required string LastName { get; init; }

    /// <summary>
    /// Gets the external accounts recorded by this person's onboarding. Offboarding steps act only on these (never on an account
    /// found by email); empty for onboarding.
    /// </summary>
    public RecordedAccounts Accounts { get; init; } = new();

    /// <summary>Gets the email trimmed and lower-cased, as every integration compares it.</summary>
    [JsonIgnore]
    public string NormalizedEmail => Email.Trim().ToLowerInvariant();

    /// <summary>Gets the display name, "First Last".</summary>
    [JsonIgnore]
    public string DisplayName => $"{FirstName.Trim()} {LastName.Trim()}".Trim();
}
