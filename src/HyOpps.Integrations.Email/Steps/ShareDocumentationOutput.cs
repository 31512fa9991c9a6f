namespace HyOpps.Integrations.Email;

/// <summary>The output of <see cref="ShareDocumentationStep"/>: <c>{"message_id": ..., "recipients": [...]}</c>.</summary>
/// <param name="MessageId">The <c>Message-Id</c> of the email the server accepted, without angle brackets.</param>
/// <param name="Recipients">The addresses the email was sent to.</param>
public sealed record ShareDocumentationOutput(string MessageId, IReadOnlyList<string> Recipients);
