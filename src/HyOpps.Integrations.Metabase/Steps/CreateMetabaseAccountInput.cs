namespace HyOpps.Integrations.Metabase;

/// <summary>The input of <see cref="CreateMetabaseAccountStep"/>: the person whose Metabase account is found, reactivated or made.</summary>
public sealed record CreateMetabaseAccountInput
{
    /// <summary>Gets the person's email, by which Metabase users are matched (compared trimmed and lower-cased).</summary>
    public required string Email { get; init; }

    /// <summary>Gets the first name of a new account.</summary>
    public required string FirstName { get; init; }

    /// <summary>Gets the last name of a new account.</summary>
    public required string LastName { get; init; }
}
