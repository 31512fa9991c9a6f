namespace HyOpps.Integrations.Email.Internal;

/// <summary>The configuration path settings are read from, named in messages; the first registration wins.</summary>
internal sealed record EmailSectionPath(string Path);
