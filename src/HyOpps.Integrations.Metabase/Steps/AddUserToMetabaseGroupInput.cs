namespace HyOpps.Integrations.Metabase;

/// <summary>The input of <see cref="AddUserToMetabaseGroupStep"/>: whose account joins which permission group.</summary>
public sealed record AddUserToMetabaseGroupInput
{
    /// <summary>Gets the person's email; the account is found by it when <see cref="MetabaseUserId"/> is not given.</summary>
    public required string Email { get; init; }

    /// <summary>Gets the Metabase permission group id.</summary>
    public required int GroupId { get; init; }

    /// <summary>Gets the Metabase user id, typically the output of <see cref="CreateMetabaseAccountStep"/>.</summary>
    public int? MetabaseUserId { get; init; }
}
