namespace HyOpps.Testing.Simulation;

/// <summary>A request a simulator received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path and query string.</param>
public sealed record SimulatedRequest(string Method, string PathAndQuery);
