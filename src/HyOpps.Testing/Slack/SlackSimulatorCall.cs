namespace HyOpps.Testing.Slack;

/// <summary>One Web API call the <see cref="SlackSimulator"/> handled (injected faults are not listed; see <c>Requests</c>).</summary>
/// <param name="Method">The Web API method, for example <c>usergroups.users.update</c>.</param>
/// <param name="HttpMethod">The HTTP method, <c>GET</c> or <c>POST</c>.</param>
/// <param name="Arguments">The arguments from the query string and body, without any token.</param>
/// <param name="UsedAuthorizationHeader">Whether the token came in the <c>Authorization: Bearer</c> header (rather than a form field, or not at all).</param>
/// <param name="Ok">Whether the call answered <c>ok: true</c>.</param>
/// <param name="Error">The error code when it did not.</param>
public sealed record SlackSimulatorCall(
    string Method,
    string HttpMethod,
    IReadOnlyDictionary<string, string> Arguments,
    bool UsedAuthorizationHeader,
    bool Ok,
    string? Error);
