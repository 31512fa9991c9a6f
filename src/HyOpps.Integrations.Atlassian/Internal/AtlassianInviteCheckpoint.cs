namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>What an attempt of the add step saved once it invited the person, so that later attempts wait instead of inviting again.</summary>
/// <param name="InvitedAt">When the invite was sent.</param>
/// <param name="Method"><c>organization</c> (Organization Admin API) or <c>site</c> (<c>POST /rest/api/3/user</c>).</param>
/// <param name="InvitedAccountId">The account id the service reported, if any.</param>
internal sealed record AtlassianInviteCheckpoint(DateTimeOffset InvitedAt, string Method, string? InvitedAccountId)
{
    public const string Organization = "organization";
    public const string Site = "site";
}
