namespace HyOpps.SampleHost.Domain;

/// <summary>The roles of the sample host.</summary>
public static class Roles
{
    /// <summary>Everything: every org, user and execution.</summary>
    public const string Admin = "admin";

    /// <summary>One org: its users and executions; its documentation read-only.</summary>
    public const string PartnerAdmin = "partner_admin";
}
