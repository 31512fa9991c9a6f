namespace HyOpps.Dashboard.BrowserTests.Host;

/// <summary>A user who can sign in to the test host.</summary>
/// <param name="UserName">The sign-in name, also the actor in audit trails.</param>
/// <param name="Password">The password.</param>
/// <param name="Role"><c>admin</c> or <c>partner_admin</c>.</param>
/// <param name="OrgId">The org of a partner admin; <see langword="null"/> for an admin.</param>
internal sealed record TestUser(string UserName, string Password, string Role, string? OrgId)
{
    public const string AdminRole = "admin";
    public const string PartnerAdminRole = "partner_admin";
    public const string OrgClaim = "org";

    /// <summary>Gets the operator, who sees and operates everything.</summary>
    public static TestUser Admin { get; } = new("admin", "admin-password", AdminRole, null);

    /// <summary>Gets the partner admin of org A, who only looks at org A's executions.</summary>
    public static TestUser PartnerAdminOfOrgA { get; } = new("pat", "pat-password", PartnerAdminRole, OnboardingBrowserHost.OrgAId);

    public static IReadOnlyList<TestUser> All { get; } = [Admin, PartnerAdminOfOrgA];
}
