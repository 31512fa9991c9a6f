using System.Diagnostics.CodeAnalysis;

namespace HyOpps.Workflows.Storage;

/// <summary>A lease on a named external resource, taken through <see cref="IResourceLockStore"/>.</summary>
/// <param name="Resource">The resource's name.</param>
/// <param name="Owner">Who holds it.</param>
/// <param name="FencingToken">The token of this acquisition, larger than any earlier one of the same resource.</param>
/// <param name="ExpiresAt">When it expires unless renewed.</param>
[Experimental("HYOPPS0001")]
public sealed record ResourceLease(string Resource, string Owner, long FencingToken, DateTimeOffset ExpiresAt);
