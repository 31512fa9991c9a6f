using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyOpps.Integrations.Atlassian;
using Polly.Timeout;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>A typed client of the Atlassian Cloud site (Jira platform REST v3) and Organization Admin APIs used by the HyOpps steps.</summary>
/// <remarks>
/// Resolve it from dependency injection after <c>AddAtlassian()</c>. Requests are retried in-process after 429 and 503 with a short
/// <c>Retry-After</c>, and after 5xx or network failures when safe to repeat; every failure is an <see cref="AtlassianApiException"/>
/// that keeps the status code and the service's messages.
/// </remarks>
internal sealed class AtlassianClient
{
    private const int SearchPageSize = 50;
    private const int MaxSearchPages = 20;
    private const int MemberPageSize = 50;
    private const int MaxMemberPages = 1000;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptionsMonitor<AtlassianOptions> _options;
    private readonly TimeProvider _timeProvider;

    internal AtlassianClient(IHttpClientFactory httpClientFactory, IOptionsMonitor<AtlassianOptions> options, TimeProvider timeProvider)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>Searches active users whose display name or email starts with <paramref name="query"/> (<c>GET /rest/api/3/user/search</c>).</summary>
    /// <param name="query">The search text.</param>
    /// <param name="startAt">The index of the first result.</param>
    /// <param name="maxResults">The page size.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The page of users, possibly empty (also when the account lacks "Browse users and groups").</returns>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed.</exception>
    public async Task<IReadOnlyList<AtlassianUser>> SearchUsersAsync(string query, int startAt = 0, int maxResults = SearchPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var path = $"rest/api/3/user/search?query={Uri.EscapeDataString(query)}&startAt={startAt.ToString(CultureInfo.InvariantCulture)}&maxResults={maxResults.ToString(CultureInfo.InvariantCulture)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var users = await SendAsync<List<UserDto>>(request, admin: false, "GET /rest/api/3/user/search", cancellationToken).ConfigureAwait(false);
        return (users ?? []).Select(u => u.ToUser()).OfType<AtlassianUser>().ToList();
    }

    /// <summary>Finds the active <c>atlassian</c> account whose email equals <paramref name="email"/> (case-insensitive), paging through the prefix-matching search.</summary>
    /// <param name="email">The email address.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The exact match if any, and the candidates whose email the search could not show.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed.</exception>
    public async Task<AtlassianUserLookup> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var wanted = email.Trim();
        var hidden = new List<AtlassianUser>();
        for (var page = 0; page < MaxSearchPages; page++)
        {
            var users = await SearchUsersAsync(wanted, page * SearchPageSize, SearchPageSize, cancellationToken).ConfigureAwait(false);
            foreach (var user in users.Where(u => u.Active && string.Equals(u.AccountType, "atlassian", StringComparison.OrdinalIgnoreCase)))
            {
                if (user.EmailAddress is null)
                {
                    hidden.Add(user);
                }
                else if (string.Equals(user.EmailAddress.Trim(), wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return new AtlassianUserLookup(user, hidden);
                }
            }

            if (users.Count < SearchPageSize)
            {
                break;
            }
        }

        return new AtlassianUserLookup(null, hidden);
    }

    /// <summary>Gets a group by id (<c>GET /rest/api/3/group/bulk?groupId=</c>).</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The group, or <see langword="null"/> when no group has that id.</returns>
    /// <exception cref="ArgumentException"><paramref name="groupId"/> is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed.</exception>
    public async Task<AtlassianGroup?> GetGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"rest/api/3/group/bulk?groupId={Uri.EscapeDataString(groupId)}&maxResults=1");
        var page = await SendAsync<PageDto<GroupDto>>(request, admin: false, "GET /rest/api/3/group/bulk", cancellationToken).ConfigureAwait(false);
        var group = page?.Values.FirstOrDefault(g => string.Equals(g.GroupId, groupId, StringComparison.OrdinalIgnoreCase));
        return group is null ? null : new AtlassianGroup(group.GroupId!, group.Name ?? string.Empty);
    }

    /// <summary>Counts a group's members (<c>GET /rest/api/3/group/member?groupId=&amp;maxResults=1</c>); proves the group can be read.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The number of members, inactive ones included.</returns>
    /// <exception cref="ArgumentException"><paramref name="groupId"/> is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed; 403 when the account lacks "Browse users and groups", 404 when the group does not exist.</exception>
    public async Task<int> CountGroupMembersAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"rest/api/3/group/member?groupId={Uri.EscapeDataString(groupId)}&includeInactiveUsers=true&startAt=0&maxResults=1");
        var page = await SendAsync<PageDto<UserDto>>(request, admin: false, "GET /rest/api/3/group/member", cancellationToken).ConfigureAwait(false);
        return page is null ? 0 : (int)Math.Min(int.MaxValue, Math.Max(page.Total, page.Values.Count));
    }

    /// <summary>Lists the groups an account is a member of (<c>GET /rest/api/3/user/groups?accountId=</c>).</summary>
    /// <param name="accountId">The account id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The groups, or <see langword="null"/> when no account has that id.</returns>
    /// <exception cref="ArgumentException"><paramref name="accountId"/> is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed.</exception>
    public async Task<IReadOnlyList<AtlassianGroup>?> GetUserGroupsAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"rest/api/3/user/groups?accountId={Uri.EscapeDataString(accountId)}");
        try
        {
            var groups = await SendAsync<List<GroupDto>>(request, admin: false, "GET /rest/api/3/user/groups", cancellationToken).ConfigureAwait(false);
            return (groups ?? []).Where(g => g.GroupId is not null).Select(g => new AtlassianGroup(g.GroupId!, g.Name ?? string.Empty)).ToList();
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Tells whether an account is a member of a group, reading the members back page by page (<c>GET /rest/api/3/group/member</c>).</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="accountId">The account id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when the account is listed among the members (inactive ones included).</returns>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed; 404 when the group does not exist.</exception>
    public async Task<bool> IsGroupMemberAsync(string groupId, string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        var startAt = 0;
        for (var page = 0; page < MaxMemberPages; page++)
        {
            var path = $"rest/api/3/group/member?groupId={Uri.EscapeDataString(groupId)}&includeInactiveUsers=true&startAt={startAt.ToString(CultureInfo.InvariantCulture)}&maxResults={MemberPageSize.ToString(CultureInfo.InvariantCulture)}";
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            var members = await SendAsync<PageDto<UserDto>>(request, admin: false, "GET /rest/api/3/group/member", cancellationToken).ConfigureAwait(false);
            if (members is null)
            {
                return false;
            }

            if (members.Values.Any(m => string.Equals(m.AccountId, accountId, StringComparison.Ordinal)))
            {
                return true;
            }

            if (members.IsLast || members.Values.Count == 0)
            {
                return false;
            }

            startAt += members.Values.Count;
        }

        return false;
    }

    /// <summary>Adds an account to a group (<c>POST /rest/api/3/group/user?groupId=</c>); "already a member" counts as done.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="accountId">The account id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when added, <see langword="false"/> when the account was a member already.</returns>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed; 404 when the group or the user is unknown.</exception>
    public async Task<bool> AddUserToGroupAsync(string groupId, string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"rest/api/3/group/user?groupId={Uri.EscapeDataString(groupId)}")
        {
            Content = JsonContent.Create(new { accountId }, options: AtlassianJson.Options),
        };
        try
        {
            await SendAsync<JsonElement>(request, admin: false, "POST /rest/api/3/group/user", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest && Mentions(ex, "already a member"))
        {
            // Jira answers a duplicate add with 400 "Cannot add user. User is already a member of '<group>'".
            return false;
        }
    }

    /// <summary>Removes an account from a group (<c>DELETE /rest/api/3/group/user?groupId=&amp;accountId=</c>); "not a member" counts as done.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="accountId">The account id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns><see langword="true"/> when removed, <see langword="false"/> when the account was not a member.</returns>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed; 404 when the group or the user is unknown.</exception>
    public async Task<bool> RemoveUserFromGroupAsync(string groupId, string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"rest/api/3/group/user?groupId={Uri.EscapeDataString(groupId)}&accountId={Uri.EscapeDataString(accountId)}");
        try
        {
            await SendAsync<JsonElement>(request, admin: false, "DELETE /rest/api/3/group/user", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest && Mentions(ex, "not a member"))
        {
            return false;
        }
    }

    /// <summary>Invites a person to the organization through the Organization Admin API (<c>POST /admin/v2/orgs/{orgId}/users/invite</c>).</summary>
    /// <param name="email">The email address.</param>
    /// <param name="groupIds">Groups to add the person to once the invite is processed.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The account id the service reported, if it reported one.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is empty.</exception>
    /// <exception cref="InvalidOperationException"><c>OrgAdminApiKey</c> or <c>OrgId</c> is not configured.</exception>
    /// <exception cref="AtlassianApiException">The call failed.</exception>
    public async Task<string?> InviteToOrganizationAsync(string email, IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentNullException.ThrowIfNull(groupIds);
        var options = _options.CurrentValue;
        if (!options.HasOrgAdminApi)
        {
            throw new InvalidOperationException($"Set {options.Key(nameof(AtlassianOptions.OrgAdminApiKey))} and {options.Key(nameof(AtlassianOptions.OrgId))} to invite people through the Organization Admin API.");
        }

        var body = new
        {
            emails = new[] { email.Trim() },
            additionalGroups = groupIds.Where(g => !string.IsNullOrWhiteSpace(g)).ToArray(),
            sendNotification = true,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/v2/orgs/{Uri.EscapeDataString(options.OrgId!)}/users/invite")
        {
            Content = JsonContent.Create(body, options: AtlassianJson.Options),
        };
        request.Options.Set(AtlassianHttp.NotIdempotent, true);
        var response = await SendAsync<InviteResponseDto>(request, admin: true, "POST /admin/v2/orgs/{orgId}/users/invite", cancellationToken).ConfigureAwait(false);
        return response?.Data.FirstOrDefault(d => d.Email is null || string.Equals(d.Email, email.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;
    }

    /// <summary>Invites a person to the site with product access (<c>POST /rest/api/3/user</c>); needs "Administer Jira".</summary>
    /// <param name="email">The email address.</param>
    /// <param name="products">The products to grant, for example <c>jira-software</c>; empty for none.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The account, new or existing.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is empty.</exception>
    /// <exception cref="AtlassianApiException">The call failed.</exception>
    public async Task<AtlassianUser> CreateSiteUserAsync(string email, IEnumerable<string> products, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentNullException.ThrowIfNull(products);
        using var request = new HttpRequestMessage(HttpMethod.Post, "rest/api/3/user")
        {
            Content = JsonContent.Create(new { emailAddress = email.Trim(), products = products.ToArray() }, options: AtlassianJson.Options),
        };
        request.Options.Set(AtlassianHttp.NotIdempotent, true);
        var user = await SendAsync<UserDto>(request, admin: false, "POST /rest/api/3/user", cancellationToken).ConfigureAwait(false);
        return user?.ToUser() ?? throw new AtlassianApiException("Atlassian POST /rest/api/3/user answered without an accountId.") { Operation = "POST /rest/api/3/user" };
    }

    private static bool Mentions(AtlassianApiException ex, string text)
        => ex.ErrorMessages.Any(m => m.Contains(text, StringComparison.OrdinalIgnoreCase))
        || ex.Errors.Values.Any(m => m.Contains(text, StringComparison.OrdinalIgnoreCase));

    private async Task<T?> SendAsync<T>(HttpRequestMessage request, bool admin, string operation, CancellationToken cancellationToken)
    {
        var http = _httpClientFactory.CreateClient(admin ? AtlassianHttp.AdminClientName : AtlassianHttp.SiteClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            var options = _options.CurrentValue;
            throw new AtlassianApiException($"Atlassian {operation} timed out after {options.Timeout.TotalSeconds:0.#} s ({options.Key(nameof(AtlassianOptions.Timeout))}).", ex)
            {
                Operation = operation,
                IsAdminApi = admin,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            throw new AtlassianApiException($"Atlassian {operation} failed: {ex.Message}", ex) { Operation = operation, IsAdminApi = admin };
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var (messages, errors) = AtlassianErrorBody.Parse(body);
                var details = messages.Concat(errors.Select(e => $"{e.Key}: {e.Value}")).ToList();
                var message = $"Atlassian {operation} answered {(int)response.StatusCode} {response.ReasonPhrase}"
                    + (details.Count > 0 ? ": " + string.Join("; ", details) : ".");
                throw new AtlassianApiException(message)
                {
                    StatusCode = response.StatusCode,
                    ErrorMessages = messages,
                    Errors = errors,
                    RetryAfter = IntegrationHttp.GetRetryAfter(response, _timeProvider),
                    IsAdminApi = admin,
                    Operation = operation,
                };
            }

            if (string.IsNullOrWhiteSpace(body))
            {
                return default;
            }

            try
            {
                return JsonSerializer.Deserialize<T>(body, AtlassianJson.Options);
            }
            catch (JsonException ex)
            {
                throw new AtlassianApiException($"Atlassian {operation} answered {(int)response.StatusCode} with a body that is not the expected JSON: {ex.Message}", ex)
                {
                    StatusCode = response.StatusCode,
                    IsAdminApi = admin,
                    Operation = operation,
                };
            }
        }
    }
}
