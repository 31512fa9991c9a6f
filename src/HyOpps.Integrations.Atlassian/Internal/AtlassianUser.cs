namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>An Atlassian account as the site's user APIs return it.</summary>
/// <param name="AccountId">The account id.</param>
/// <param name="AccountType">The account type: <c>atlassian</c>, <c>app</c> or <c>customer</c>.</param>
/// <param name="DisplayName">The display name.</param>
/// <param name="EmailAddress">The email address, or <see langword="null"/> when the profile hides it.</param>
/// <param name="Active">Whether the account is active.</param>
internal sealed record AtlassianUser(string AccountId, string AccountType, string? DisplayName, string? EmailAddress, bool Active);
