namespace HyOpps.SampleHost.Domain;

/// <summary>The statuses of a partner user record.</summary>
public static class PartnerUserStatus
{
    /// <summary>new_partner_user is running (or failed and waits for an operator).</summary>
    public const string Onboarding = "onboarding";

    /// <summary>new_partner_user completed.</summary>
    public const string Active = "active";

    /// <summary>remove_partner_user is running (or failed and waits for an operator).</summary>
    public const string Offboarding = "offboarding";

    /// <summary>remove_partner_user completed.</summary>
    public const string Removed = "removed";
}
