namespace HyOpps.Onboarding;

/// <summary>A titled link to an org's documentation.</summary>
/// <param name="Title">The link text.</param>
/// <param name="Url">An absolute http or https URL.</param>
public sealed record DocumentationLink(string Title, string Url);
