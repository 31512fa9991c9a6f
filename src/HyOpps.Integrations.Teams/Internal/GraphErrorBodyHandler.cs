using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>
/// Wraps a non-JSON error body (a proxy's text or HTML page, or none) in Graph's error envelope, so that the Graph SDK
/// reports the status code and the text instead of failing to parse it.
/// </summary>
internal sealed class GraphErrorBodyHandler : DelegatingHandler
{
    private const int MaxMessageLength = 500;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode < 400 || IsJson(response.Content.Headers.ContentType))
        {
            return response;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        text = text.Trim();
        if (text.Length == 0)
        {
            text = response.ReasonPhrase ?? string.Empty;
        }
        else if (text.Length > MaxMessageLength)
        {
            text = text[..MaxMessageLength] + "…";
        }

        var envelope = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, string> { ["code"] = response.StatusCode.ToString(), ["message"] = text },
        });
        var content = new StringContent(envelope, Encoding.UTF8, "application/json");
        response.Content.Dispose();
        response.Content = content;
        return response;
    }

    private static bool IsJson(MediaTypeHeaderValue? contentType)
        => contentType?.MediaType is { } media
            && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
