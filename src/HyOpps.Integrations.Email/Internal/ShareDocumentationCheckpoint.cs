namespace HyOpps.Integrations.Email.Internal;

/// <summary>Saved as soon as the server accepts the email, so a re-run after a crash does not send it again.</summary>
internal sealed record ShareDocumentationCheckpoint(string MessageId, bool Accepted, IReadOnlyList<string>? Recipients);
