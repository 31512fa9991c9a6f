namespace HyOpps.SampleHost.Sandbox;

/// <summary>The demo accounts seeded in sandbox mode only (documented in the README; never created with real services).</summary>
public static class SandboxAccounts
{
    public const string AdminUserName = "admin";

    public const string AdminPassword = "sandbox-admin";

    public const string AdminApiKey = "hyo_sandbox_admin_key";

    public const string PartnerAdminUserName = "partner";

    public const string PartnerAdminPassword = "sandbox-partner";

    public const string PartnerAdminApiKey = "hyo_sandbox_partner_key";

    public const string DemoOrgName = "Demo Partner";

    /// <summary>The email domain the demo org's partner admin may add people from.</summary>
    public const string DemoEmailDomain = "partner.example";
}
