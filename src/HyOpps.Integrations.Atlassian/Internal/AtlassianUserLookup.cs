namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>The result of looking an account up by email: the exact match, and the candidates whose email is hidden.</summary>
/// <param name="User">The active <c>atlassian</c> account whose email equals the one searched for, if any.</param>
/// <param name="HiddenEmailCandidates">Active <c>atlassian</c> accounts the search matched whose email is hidden by profile visibility.</param>
internal sealed record AtlassianUserLookup(AtlassianUser? User, IReadOnlyList<AtlassianUser> HiddenEmailCandidates);
