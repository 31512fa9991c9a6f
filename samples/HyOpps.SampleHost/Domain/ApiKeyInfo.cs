namespace HyOpps.SampleHost.Domain;

/// <summary>An API key's public facts (the key itself is stored only as a hash).</summary>
public sealed record ApiKeyInfo(string Id, string AccountId, string Name, string Prefix, DateTimeOffset CreatedAt);
