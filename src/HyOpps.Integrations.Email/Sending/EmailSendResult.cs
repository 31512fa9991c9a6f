namespace HyOpps.Integrations.Email;

/// <summary>A message the SMTP server accepted.</summary>
/// <param name="MessageId">The message's <c>Message-Id</c>, without angle brackets.</param>
/// <param name="Recipients">The recipient addresses the server accepted.</param>
/// <param name="ServerResponse">The server's final reply, for example <c>2.0.0 Ok: queued as 4F2A1</c>.</param>
public sealed record EmailSendResult(string MessageId, IReadOnlyList<string> Recipients, string ServerResponse);
