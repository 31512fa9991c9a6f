namespace HyOpps.Workflows.Storage;

/// <summary>A dispatcher's request for due notifications, reserved for it for a while so that other hosts skip them.</summary>
/// <param name="Owner">The dispatcher that takes the claim.</param>
/// <param name="Now">The current time: notifications due by then whose claim is free or expired match.</param>
/// <param name="ClaimDuration">How long the claim lasts.</param>
/// <param name="MaxCount">The most notifications to claim.</param>
public sealed record NotificationClaimRequest(string Owner, DateTimeOffset Now, TimeSpan ClaimDuration, int MaxCount);
