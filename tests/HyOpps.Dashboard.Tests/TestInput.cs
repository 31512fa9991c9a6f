namespace HyOpps.Dashboard.Tests;

/// <summary>The input of the test workflows.</summary>
/// <param name="Email">The person's email.</param>
/// <param name="Note">Free text copied into step 2's output (attacker text in some tests).</param>
/// <param name="Fault">A key in <see cref="Faults"/> that makes step 2 fail while set.</param>
internal sealed record TestInput(string Email, string? Note = null, string? Fault = null);
