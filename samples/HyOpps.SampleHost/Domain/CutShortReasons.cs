namespace HyOpps.SampleHost.Domain;

/// <summary>Why an onboarding ended before it finished, as stored with the user (<c>cut_short_reason</c>).</summary>
public static class CutShortReasons
{
    /// <summary>An operator cancelled the onboarding.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The onboarding failed and nobody retried it within the grace period.</summary>
    public const string Failed = "failed";
}
