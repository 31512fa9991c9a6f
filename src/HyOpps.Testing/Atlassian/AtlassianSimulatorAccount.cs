namespace HyOpps.Testing.Atlassian;

/// <summary>An account of the <see cref="AtlassianSimulator"/>.</summary>
/// <param name="AccountId">The account id, like <c>712020:6f1c...</c>.</param>
/// <param name="Email">The email address.</param>
/// <param name="DisplayName">The display name.</param>
/// <param name="EmailHidden">Whether profile visibility hides the email from API responses (searches still match it).</param>
/// <param name="Active">Whether the account is active; searches only return active accounts.</param>
/// <param name="AccountType">The account type: <c>atlassian</c>, <c>app</c> or <c>customer</c>.</param>
public sealed record AtlassianSimulatorAccount(string AccountId, string Email, string DisplayName, bool EmailHidden, bool Active, string AccountType);
