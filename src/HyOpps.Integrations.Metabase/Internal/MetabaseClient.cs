using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.Timeout;

namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>A typed client of the Metabase REST API over the named HttpClient <see cref="HttpClientName"/> (auth and resilience are its handlers).</summary>
internal sealed partial class MetabaseClient
{
    /// <summary>The name of the HttpClient the integration registers.</summary>
    public const string HttpClientName = "HyOpps.Metabase";

    private const int PageSize = 50;
    private const int MaxServiceMessageLength = 500;

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly MediaTypeWithQualityHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly MetabaseOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Uri _baseUri;

    public MetabaseClient(HttpClient http, MetabaseOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _baseUri = WithTrailingSlash(options.BaseUrl ?? throw new InvalidOperationException(options.NotConfiguredMessage));
    }

    internal static Uri WithTrailingSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    /// <summary>Finds a user by exact email (case-insensitive), active or deactivated: <c>GET /api/user?status=all&amp;query=</c> is a fuzzy match, so every page is compared client-side.</summary>
    public async Task<MetabaseUserDto?> FindUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        var wanted = email.Trim();
        var offset = 0;
        while (true)
        {
            var path = string.Create(
                CultureInfo.InvariantCulture,
                $"api/user?status=all&query={Uri.EscapeDataString(wanted)}&limit={PageSize}&offset={offset}");
            var (_, body) = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
            if (body is not { } root)
            {
                return null;
            }

            // Current versions answer {"data": [...], "total": n}; very old ones a bare array without paging.
            var isEnvelope = root.ValueKind == JsonValueKind.Object;
            var data = isEnvelope ? (root.TryGetProperty("data", out var d) ? d : default) : root;
            if (data.ValueKind != JsonValueKind.Array)
            {
                throw Unexpected(HttpMethod.Get, path, "GET /api/user answered without a 'data' array.");
            }

            var users = Deserialize<List<MetabaseUserDto>>(data, HttpMethod.Get, path);
            var match = users.FirstOrDefault(u => string.Equals(u.Email?.Trim(), wanted, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }

            var total = isEnvelope && root.TryGetProperty("total", out var t) && t.TryGetInt32(out var n) ? n : users.Count;
            offset += users.Count;
            if (!isEnvelope || users.Count == 0 || offset >= total)
            {
                return null;
            }
        }
    }

    /// <summary>Gets a user with <c>user_group_memberships</c>, or <see langword="null"/> when Metabase answers 404.</summary>
    public async Task<MetabaseUserDto?> GetUserAsync(int userId, CancellationToken cancellationToken)
    {
        var path = Invariant($"api/user/{userId}");
        var (status, body) = await SendAsync(HttpMethod.Get, path, null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status == HttpStatusCode.NotFound ? null : Deserialize<MetabaseUserDto>(Require(body, HttpMethod.Get, path), HttpMethod.Get, path);
    }

    /// <summary>Creates a user (<c>POST /api/user</c>); Metabase adds them to All Users. No group list is sent, on purpose (it replaces the set).</summary>
    public async Task<MetabaseUserDto> CreateUserAsync(string email, string? firstName, string? lastName, CancellationToken cancellationToken)
    {
        const string path = "api/user";
        var request = new CreateUserRequest(email, Blank(firstName), Blank(lastName));
        var (_, body) = await SendAsync(HttpMethod.Post, path, request, cancellationToken).ConfigureAwait(false);
        return Deserialize<MetabaseUserDto>(Require(body, HttpMethod.Post, path), HttpMethod.Post, path);
    }

    /// <summary>Reactivates a deactivated user (<c>PUT /api/user/:id/reactivate</c>).</summary>
    public async Task<MetabaseUserDto> ReactivateUserAsync(int userId, CancellationToken cancellationToken)
    {
        var path = Invariant($"api/user/{userId}/reactivate");
        var (_, body) = await SendAsync(HttpMethod.Put, path, null, cancellationToken).ConfigureAwait(false);
        return Deserialize<MetabaseUserDto>(Require(body, HttpMethod.Put, path), HttpMethod.Put, path);
    }

    /// <summary>Deactivates a user (<c>DELETE /api/user/:id</c>); <see langword="false"/> when Metabase answers 404.</summary>
    public async Task<bool> DeactivateUserAsync(int userId, CancellationToken cancellationToken)
    {
        var path = Invariant($"api/user/{userId}");
        var (status, _) = await SendAsync(HttpMethod.Delete, path, null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    /// <summary>Lists the permission groups (<c>GET /api/permissions/group</c>, a bare array).</summary>
    public async Task<IReadOnlyList<MetabaseGroupDto>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        const string path = "api/permissions/group";
        var (_, body) = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return Deserialize<List<MetabaseGroupDto>>(Require(body, HttpMethod.Get, path), HttpMethod.Get, path);
    }

    /// <summary>Adds a membership (<c>POST /api/permissions/membership</c>); Metabase answers with the group's whole member list.</summary>
    public async Task AddMembershipAsync(int userId, int groupId, CancellationToken cancellationToken)
    {
        const string path = "api/permissions/membership";
        await SendAsync(HttpMethod.Post, path, new AddMembershipRequest(groupId, userId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every membership (<c>GET /api/permissions/membership</c>), keyed by user id.</summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<MetabaseMembershipDto>>> ListMembershipsAsync(CancellationToken cancellationToken)
    {
        const string path = "api/permissions/membership";
        var (_, body) = await SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        var map = Deserialize<Dictionary<string, List<MetabaseMembershipDto>>>(Require(body, HttpMethod.Get, path), HttpMethod.Get, path);
        var result = new Dictionary<int, IReadOnlyList<MetabaseMembershipDto>>();
        foreach (var (key, memberships) in map)
        {
            if (int.TryParse(key, NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId))
            {
                result[userId] = memberships;
            }
        }

        return result;
    }

    /// <summary>Deletes a membership by membership id (<c>DELETE /api/permissions/membership/:id</c>); <see langword="false"/> on 404.</summary>
    public async Task<bool> DeleteMembershipAsync(int membershipId, CancellationToken cancellationToken)
    {
        var path = Invariant($"api/permissions/membership/{membershipId}");
        var (status, _) = await SendAsync(HttpMethod.Delete, path, null, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
        return status != HttpStatusCode.NotFound;
    }

    private async Task<(HttpStatusCode Status, JsonElement? Body)> SendAsync(
        HttpMethod method, string relativePath, object? content, CancellationToken cancellationToken, HttpStatusCode? accepted = null)
    {
        var uri = new Uri(_baseUri, relativePath);
        var displayPath = "/" + relativePath.Split('?')[0];
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(JsonMediaType);
        if (content is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(content, content.GetType(), JsonOptions), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        var started = _timeProvider.GetTimestamp();
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw TimedOut(method, displayPath, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(method, displayPath, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new MetabaseApiException(
                $"Metabase {method} {displayPath} failed without a response ({ex.Message}); check that {_options.SectionPath}:BaseUrl is reachable.",
                method.Method,
                displayPath,
                innerException: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            LogResponse(_logger, method.Method, displayPath, (int)response.StatusCode, _timeProvider.GetElapsedTime(started).TotalMilliseconds);
            if (response.IsSuccessStatusCode || response.StatusCode == accepted)
            {
                if (!response.IsSuccessStatusCode || string.IsNullOrWhiteSpace(text))
                {
                    return (response.StatusCode, null);
                }

                try
                {
                    using var document = JsonDocument.Parse(text);
                    return (response.StatusCode, document.RootElement.Clone());
                }
                catch (JsonException ex)
                {
                    throw Unexpected(method, displayPath, $"Metabase {method} {displayPath} answered {(int)response.StatusCode} with a body that is not JSON.", ex);
                }
            }

            throw Failed(response, text, method, displayPath);
        }
    }

    private MetabaseApiException Failed(HttpResponseMessage response, string body, HttpMethod method, string displayPath)
    {
        // The auth handler answers with the login response when POST /api/session fails.
        if (response.RequestMessage?.RequestUri is { } sent && sent.AbsolutePath.EndsWith("/api/session", StringComparison.Ordinal))
        {
            method = response.RequestMessage.Method;
            displayPath = "/api/session";
        }

        var status = response.StatusCode;
        var serviceMessage = Scrub(ReadServiceMessage(body));
        var retryAfter = IntegrationHttp.GetRetryAfter(response, _timeProvider);
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Metabase {method} {displayPath} failed with {(int)status} {ReasonOf(response)}");
        if (!string.IsNullOrEmpty(serviceMessage))
        {
            message.Append(": ").Append(serviceMessage);
        }

        if (retryAfter is { } wait)
        {
            message.Append(CultureInfo.InvariantCulture, $" (Retry-After {wait.TotalSeconds:0.#} s)");
        }

        return new MetabaseApiException(message.Append('.').ToString(), method.Method, displayPath, status, serviceMessage, retryAfter);
    }

    private MetabaseApiException TimedOut(HttpMethod method, string displayPath, Exception ex)
        => new(
            string.Create(CultureInfo.InvariantCulture, $"Metabase {method} {displayPath} did not answer within {_options.Timeout.TotalSeconds:0.###} s ({_options.SectionPath}:Timeout)."),
            method.Method,
            displayPath,
            innerException: ex);

    private static MetabaseApiException Unexpected(HttpMethod method, string path, string message, Exception? ex = null)
        => new(message, method.Method, "/" + path.Split('?')[0].TrimStart('/'), HttpStatusCode.OK, innerException: ex);

    private static JsonElement Require(JsonElement? body, HttpMethod method, string path)
        => body ?? throw Unexpected(method, path, $"Metabase {method} /{path} answered without a body.");

    private static T Deserialize<T>(JsonElement json, HttpMethod method, string path)
    {
        try
        {
            return json.Deserialize<T>(JsonOptions) ?? throw new JsonException("The body is null.");
        }
        catch (JsonException ex)
        {
            throw Unexpected(method, path, $"Metabase {method} /{path.Split('?')[0]} answered with an unexpected body: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the service's message from a JSON body (<c>{"message"}</c>, <c>{"errors": {field: msg}}</c>) or a plain-text body.</summary>
    internal static string? ReadServiceMessage(string body)
    {
        var text = body.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text[0] is '{' or '[' or '"')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.String)
                {
                    return Truncate(root.GetString());
                }

                if (root.ValueKind == JsonValueKind.Object)
                {
                    var parts = new List<string>();
                    if (root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        parts.Add(m.GetString()!);
                    }

                    if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var error in errors.EnumerateObject())
                        {
                            parts.Add(error.Value.ValueKind == JsonValueKind.String
                                ? $"{error.Name}: {error.Value.GetString()}"
                                : $"{error.Name}: {error.Value.GetRawText()}");
                        }
                    }

                    if (parts.Count == 0 && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                    {
                        parts.Add(e.GetString()!);
                    }

                    if (parts.Count > 0)
                    {
                        return Truncate(string.Join("; ", parts));
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: keep it as text.
            }
        }

        return Truncate(text);
    }

    private static string? Truncate(string? text)
        => text is null || text.Length <= MaxServiceMessageLength ? text : text[..MaxServiceMessageLength] + "…";

    private string? Scrub(string? text)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var secret in (string?[])[_options.ApiKey, _options.Password])
        {
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static string ReasonOf(HttpResponseMessage response)
        => string.IsNullOrEmpty(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metabase {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds:0} ms.")]
    private static partial void LogResponse(ILogger logger, string method, string path, int statusCode, double elapsedMilliseconds);

    private sealed record CreateUserRequest(string Email, string? FirstName, string? LastName);

    private sealed record AddMembershipRequest(int GroupId, int UserId);
}
