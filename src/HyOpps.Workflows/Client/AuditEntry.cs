namespace HyOpps.Workflows;

/// <summary>An operator action on an execution.</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who.</param>
/// <param name="Action">What, for example <c>retry</c>.</param>
/// <param name="Reason">Why.</param>
/// <param name="Detail">Details, such as the step id.</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string? Reason, string? Detail);
