namespace HyOpps.SampleHost.Domain;

/// <summary>A partner user record written together with the workflow start it owes.</summary>
/// <param name="User">The record as written (for an offboarding: as it was before).</param>
/// <param name="Start">The pending start written in the same transaction.</param>
public sealed record RecordedStart(PartnerUserRecord User, PendingStart? Start);
