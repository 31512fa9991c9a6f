namespace HyOpps.Integrations.Email;

/// <summary>A titled link in the documentation email.</summary>
/// <param name="Title">The link text; the URL is shown when it is empty.</param>
/// <param name="Url">An absolute http or https URL.</param>
public sealed record DocumentationEmailLink(string Title, string Url);
