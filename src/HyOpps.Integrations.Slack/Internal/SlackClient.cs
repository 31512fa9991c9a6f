using HyOpps.Integrations.Slack;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly.Timeout;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>A small typed client of the Slack Web API methods HyOpps uses.</summary>
/// <remarks>
/// Read methods are sent as GET with a query string, writes as form-encoded POST; the token always travels in the
/// <c>Authorization: Bearer</c> header. Every response's envelope (<c>ok</c>, <c>error</c>, <c>warning</c>,
/// <c>response_metadata</c>, and <c>needed</c>/<c>provided</c> for <c>missing_scope</c>) is checked in one place, and
/// failures surface as <see cref="SlackApiException"/>. HTTP 429 and transient failures are retried by the resilience
/// handler that <c>AddSlack</c> registers. Resolve it from dependency injection.
/// </remarks>
internal sealed partial class SlackClient
{
    /// <summary>The name of the <see cref="HttpClient"/> the client uses.</summary>
    public const string HttpClientName = "HyOpps.Slack";

    private const int MaxBodyInMessage = 300;

    private readonly HttpClient _httpClient;
    private readonly SlackOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="SlackClient"/> class.</summary>
    /// <param name="httpClient">The HTTP client, whose base address is the Web API base URL.</param>
    /// <param name="options">The Slack settings.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="timeProvider">The clock, for <c>Retry-After</c> dates.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SlackClient(HttpClient httpClient, IOptions<SlackOptions> options, ILogger<SlackClient> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets a value indicating whether an admin token and team id are set, so <see cref="InviteUserToWorkspaceAsync"/> can be used.</summary>
    public bool CanInviteUsers => _options.CanInvite;

    /// <summary>Looks a user up by email with <c>users.lookupByEmail</c>.</summary>
    /// <param name="email">The email address.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The user, or <see langword="null"/> when Slack answers <c>users_not_found</c> (or the legacy <c>user_not_found</c>).</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is null or empty.</exception>
    /// <exception cref="SlackApiException">The call failed.</exception>
    public async Task<SlackUser?> LookupUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        const string method = "users.lookupByEmail";
        try
        {
            var response = await GetAsync<SlackResponses.UserResponse>(method, [new("email", email.Trim())], cancellationToken).ConfigureAwait(false);
            return SlackResponses.ToUser(response.User ?? throw SlackResponses.Malformed(method, "user"), method);
        }
        catch (SlackApiException ex) when (ex.Error is SlackErrorCodes.UsersNotFound or SlackErrorCodes.UserNotFoundLegacy)
        {
            return null;
        }
    }

    /// <summary>Reads a user by id with <c>users.info</c>.</summary>
    /// <param name="userId">The user id (<c>U...</c> or <c>W...</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The user, or <see langword="null"/> when Slack answers <c>user_not_found</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is null or empty.</exception>
    /// <exception cref="SlackApiException">The call failed.</exception>
    public async Task<SlackUser?> GetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        const string method = "users.info";
        try
        {
            var response = await GetAsync<SlackResponses.UserResponse>(method, [new("user", userId.Trim())], cancellationToken).ConfigureAwait(false);
            return SlackResponses.ToUser(response.User ?? throw SlackResponses.Malformed(method, "user"), method);
        }
        catch (SlackApiException ex) when (ex.Error is SlackErrorCodes.UserNotFoundLegacy or SlackErrorCodes.UsersNotFound)
        {
            return null;
        }
    }

    /// <summary>Lists the workspace's user groups with <c>usergroups.list</c>.</summary>
    /// <param name="includeUsers">Whether to include each group's member ids.</param>
    /// <param name="includeDisabled">Whether to include disabled groups.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The user groups.</returns>
    /// <exception cref="SlackApiException">The call failed.</exception>
    public async Task<IReadOnlyList<SlackUserGroup>> ListUserGroupsAsync(bool includeUsers = false, bool includeDisabled = false, CancellationToken cancellationToken = default)
    {
        const string method = "usergroups.list";
        var response = await GetAsync<SlackResponses.UserGroupListResponse>(
            method,
            [new("include_users", Flag(includeUsers)), new("include_disabled", Flag(includeDisabled)), new("include_count", "true")],
            cancellationToken).ConfigureAwait(false);
        return [.. (response.Usergroups ?? []).Select(g => SlackResponses.ToUserGroup(g, method))];
    }

    /// <summary>Reads a user group's member ids with <c>usergroups.users.list</c>.</summary>
    /// <param name="userGroupId">The user group id (<c>S...</c>).</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The member ids.</returns>
    /// <exception cref="ArgumentException"><paramref name="userGroupId"/> is null or empty.</exception>
    /// <exception cref="SlackApiException">The call failed, for example <c>no_such_subteam</c>.</exception>
    public async Task<IReadOnlyList<string>> ListUserGroupMembersAsync(string userGroupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userGroupId);
        const string method = "usergroups.users.list";
        var response = await GetAsync<SlackResponses.UsersResponse>(
            method, [new("usergroup", userGroupId), new("include_disabled", "true")], cancellationToken).ConfigureAwait(false);
        return response.Users ?? throw SlackResponses.Malformed(method, "users");
    }

    /// <summary>Replaces a user group's members with <c>usergroups.users.update</c>.</summary>
    /// <remarks>Slack replaces the whole list: pass every member to keep. To add one person, read, union and write.</remarks>
    /// <param name="userGroupId">The user group id (<c>S...</c>).</param>
    /// <param name="userIds">The complete new member list; Slack rejects an empty one.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The member ids Slack reports after the update.</returns>
    /// <exception cref="ArgumentException"><paramref name="userGroupId"/> is empty, or <paramref name="userIds"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="userIds"/> is <see langword="null"/>.</exception>
    /// <exception cref="SlackApiException">The call failed, for example <c>permission_denied</c> or <c>invalid_user</c>.</exception>
    public async Task<IReadOnlyList<string>> UpdateUserGroupMembersAsync(string userGroupId, IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userGroupId);
        ArgumentNullException.ThrowIfNull(userIds);
        var users = userIds.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (users.Count == 0)
        {
            throw new ArgumentException("Slack rejects an empty member list (no_users_provided); disable the user group instead.", nameof(userIds));
        }

        const string method = "usergroups.users.update";
        var response = await PostAsync<SlackResponses.UserGroupResponse>(
            method, [new("usergroup", userGroupId), new("users", string.Join(',', users))], _options.BotToken, cancellationToken).ConfigureAwait(false);
        return response.Usergroup?.Users ?? users;
    }

    /// <summary>Invites a user to a channel with <c>conversations.invite</c>; the app must be a member of the channel.</summary>
    /// <param name="channelId">The channel id (<c>C...</c>).</param>
    /// <param name="userId">The user id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when invited; <see langword="false"/> when already in the channel (<c>already_in_channel</c>).</returns>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    /// <exception cref="SlackApiException">The call failed, for example <c>not_in_channel</c> or <c>channel_not_found</c>.</exception>
    public async Task<bool> InviteToConversationAsync(string channelId, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        try
        {
            await PostAsync<JsonElement>("conversations.invite", [new("channel", channelId), new("users", userId)], _options.BotToken, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SlackApiException ex) when (ex.Error == SlackErrorCodes.AlreadyInChannel)
        {
            return false;
        }
    }

    /// <summary>Invites a person to the workspace <see cref="SlackOptions.TeamId"/> with <c>admin.users.invite</c> (Enterprise Grid, admin token).</summary>
    /// <remarks>Slack returns no user id: look the person up by email once they accepted.</remarks>
    /// <param name="email">The person's email.</param>
    /// <param name="channelIds">The channels the invitation joins; Slack requires at least one.</param>
    /// <param name="realName">The person's full name, if known.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when an invitation was sent; <see langword="false"/> when Slack says the person is already in or invited to the workspace.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is empty, or <paramref name="channelIds"/> has no channel.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="channelIds"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><see cref="SlackOptions.AdminToken"/> or <see cref="SlackOptions.TeamId"/> is not set.</exception>
    /// <exception cref="SlackApiException">The call failed, for example <c>feature_not_enabled</c> outside Enterprise Grid.</exception>
    public async Task<bool> InviteUserToWorkspaceAsync(string email, IEnumerable<string> channelIds, string? realName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentNullException.ThrowIfNull(channelIds);
        var channels = channelIds.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToList();
        if (channels.Count == 0)
        {
            throw new ArgumentException("admin.users.invite needs at least one channel id.", nameof(channelIds));
        }

        if (!CanInviteUsers)
        {
            throw new InvalidOperationException(
                $"Inviting people to Slack needs {_options.Key(nameof(SlackOptions.AdminToken))} and {_options.Key(nameof(SlackOptions.TeamId))}.");
        }

        List<KeyValuePair<string, string>> args = [new("team_id", _options.TeamId!), new("email", email.Trim()), new("channel_ids", string.Join(',', channels))];
        if (!string.IsNullOrWhiteSpace(realName))
        {
            args.Add(new("real_name", realName.Trim()));
        }

        try
        {
            await PostAsync<JsonElement>("admin.users.invite", args, _options.AdminToken, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SlackApiException ex) when (ex.Error is SlackErrorCodes.AlreadyInTeam or SlackErrorCodes.AlreadyInvited or SlackErrorCodes.AlreadyInTeamInvitedUser)
        {
            return false;
        }
    }

    private static string Flag(bool value) => value ? "true" : "false";

    private Task<T> GetAsync<T>(string method, IEnumerable<KeyValuePair<string, string>> args, CancellationToken cancellationToken)
    {
        var query = string.Join('&', args.Select(a => Uri.EscapeDataString(a.Key) + "=" + Uri.EscapeDataString(a.Value)));
        return SendAsync<T>(method, () => new HttpRequestMessage(HttpMethod.Get, method + "?" + query), _options.BotToken, cancellationToken);
    }

    private Task<T> PostAsync<T>(string method, IEnumerable<KeyValuePair<string, string>> args, string? token, CancellationToken cancellationToken)
    {
        var form = args.ToList();

        // Form bodies work for every method; FormUrlEncodedContent sends no charset, which Slack would flag as superfluous_charset.
        return SendAsync<T>(method, () => new HttpRequestMessage(HttpMethod.Post, method) { Content = new FormUrlEncodedContent(form) }, token, cancellationToken);
    }

    private async Task<T> SendAsync<T>(string method, Func<HttpRequestMessage> createRequest, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException(_options.NotConfiguredMessage);
        }

        using var request = createRequest();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or OperationCanceledException)
        {
            SlackLog.CallFailed(_logger, method, SlackErrorCodes.RequestTimeout, null);
            throw new SlackApiException(method, SlackErrorCodes.RequestTimeout, $"Slack {method} timed out after {_options.Timeout.TotalSeconds:0.###} s.", innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            SlackLog.CallFailed(_logger, method, SlackErrorCodes.NetworkError, null);
            throw new SlackApiException(method, SlackErrorCodes.NetworkError, $"Slack {method} could not be reached at {_httpClient.BaseAddress}: {ex.Message}", innerException: ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var root = TryParseEnvelope(body);
            var status = response.StatusCode;
            if (root is { } envelope && envelope.TryGetProperty("ok", out var ok) && ok.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                LogWarnings(method, envelope);
                if (ok.ValueKind == JsonValueKind.True && response.IsSuccessStatusCode)
                {
                    SlackLog.CallSucceeded(_logger, method);
                    return typeof(T) == typeof(JsonElement) ? (T)(object)envelope : envelope.Deserialize<T>(SlackResponses.JsonOptions)!;
                }

                var error = GetString(envelope, "error") is { Length: > 0 } code ? code : "unknown_error";
                var needed = GetString(envelope, "needed");
                var provided = GetString(envelope, "provided");
                var message = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Slack {method} failed: {error}");
                if (needed is not null)
                {
                    message.Append(CultureInfo.InvariantCulture, $" (needed: {needed}; provided: {provided ?? "none"})");
                }

                if (status != HttpStatusCode.OK)
                {
                    message.Append(CultureInfo.InvariantCulture, $" (HTTP {(int)status})");
                }

                throw Fail(method, error, message.Append('.').ToString(), status, response, needed, provided);
            }

            if (response.IsSuccessStatusCode)
            {
                throw Fail(method, SlackErrorCodes.InvalidResponse, $"Slack {method} answered HTTP {(int)status} without a Web API envelope: {Snippet(body)}", status, response);
            }

            throw Fail(method, $"http_{(int)status}", $"Slack {method} answered HTTP {(int)status} {response.ReasonPhrase}: {Snippet(body)}", status, response);
        }
    }

    private SlackApiException Fail(string method, string error, string message, HttpStatusCode status, HttpResponseMessage response, string? needed = null, string? provided = null)
    {
        SlackLog.CallFailed(_logger, method, error, (int)status);
        return new SlackApiException(method, error, message, status, IntegrationHttp.GetRetryAfter(response, _timeProvider), needed, provided);
    }

    private void LogWarnings(string method, JsonElement envelope)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var warnings = new List<string>();
        if (GetString(envelope, "warning") is { Length: > 0 } warning)
        {
            warnings.Add(warning);
        }

        if (envelope.TryGetProperty("response_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in (ReadOnlySpan<string>)["warnings", "messages"])
            {
                if (metadata.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    warnings.AddRange(list.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.String).Select(w => w.GetString()!));
                }
            }
        }

        if (warnings.Count > 0)
        {
            SlackLog.CallWarned(_logger, method, string.Join(", ", warnings.Distinct(StringComparer.Ordinal)));
        }
    }

    private static JsonElement? TryParseEnvelope(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? GetString(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private string Snippet(string body)
    {
        var text = string.IsNullOrWhiteSpace(body) ? "(empty body)" : body.Trim();

        // A proxy or a wrong BaseUrl might echo the request back; a token must never reach a message.
        foreach (var secret in (ReadOnlySpan<string?>)[_options.BotToken, _options.AdminToken])
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text.Length <= MaxBodyInMessage ? text : text[..MaxBodyInMessage] + "…";
    }
}
