namespace HyOpps.Workflows;

/// <summary>Who performs an operator action and why; recorded in the execution's audit trail.</summary>
/// <param name="Actor">The person or script, for example a user name.</param>
/// <param name="Reason">Why, as they said it.</param>
public sealed record OperatorAction(string Actor, string? Reason = null);
