using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Graph;

/// <content>
/// Channel messages and the delegated tokens they need. Graph lets an app post to a channel only on behalf of a signed-in user
/// (delegated <c>ChannelMessage.Send</c>); with an application token it answers 401 "Message POST is allowed in
/// application-only context only for import purposes", as the real service does.
/// </content>
public sealed partial class GraphSimulator
{
    /// <summary>The delegated scope that posting a channel message needs, <c>ChannelMessage.Send</c>.</summary>
    public const string ChannelMessageSendScope = "ChannelMessage.Send";

    private static readonly string[] ChannelMessageScopes = [ChannelMessageSendScope, "Group.ReadWrite.All"];

    private readonly Dictionary<string, DelegatedGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DelegatedGrant> _delegatedTokens = new(StringComparer.Ordinal);
    private readonly List<GraphChannelMessage> _channelMessages = [];

    /// <summary>Gets the channel messages posted so far, in order.</summary>
    public IReadOnlyList<GraphChannelMessage> ChannelMessages
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _channelMessages];
            }
        }
    }

    /// <summary>Gets the messages posted to one channel, in order.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="channelId">The channel id.</param>
    /// <returns>The messages.</returns>
    public IReadOnlyList<GraphChannelMessage> GetChannelMessages(string teamId, string channelId)
    {
        lock (SyncRoot)
        {
            return [.. _channelMessages.Where(m =>
                string.Equals(m.TeamId, teamId, StringComparison.OrdinalIgnoreCase) && string.Equals(m.ChannelId, channelId, StringComparison.OrdinalIgnoreCase))];
        }
    }

    /// <summary>Issues a refresh token as if <paramref name="userId"/> had signed in to <see cref="ClientId"/> and consented to <paramref name="scopes"/>.</summary>
    /// <remarks>Redeem it at the token endpoint with <c>grant_type=refresh_token</c> and the app's client secret.</remarks>
    /// <param name="userId">The signed-in user's object id.</param>
    /// <param name="scopes">The delegated scopes; <see cref="ChannelMessageSendScope"/> when none are given.</param>
    /// <returns>The refresh token.</returns>
    /// <exception cref="KeyNotFoundException">No such user.</exception>
    public string CreateRefreshToken(string userId, params string[] scopes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(scopes);
        lock (SyncRoot)
        {
            if (!GetUsers().Any(u => string.Equals(u.Id, userId, StringComparison.OrdinalIgnoreCase)))
            {
                throw new KeyNotFoundException($"No user {userId}.");
            }

            var token = NewRefreshToken();
            _refreshTokens[token] = new DelegatedGrant(userId, scopes.Length == 0 ? [ChannelMessageSendScope] : [.. scopes]);
            return token;
        }
    }

    /// <summary>Revokes every refresh token issued so far, as a password reset or a sign-out everywhere does.</summary>
    public void RevokeRefreshTokens()
    {
        lock (SyncRoot)
        {
            _refreshTokens.Clear();
        }
    }

    private static string NewRefreshToken() => "simrt." + Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    // Entra answers a refresh_token grant with a new access token and a new refresh token; the old refresh token stays valid.
    private async Task IssueDelegatedTokenAsync(HttpContext context, IFormCollection form)
    {
        DelegatedGrant? grant;
        lock (SyncRoot)
        {
            _refreshTokens.TryGetValue(form["refresh_token"].ToString(), out grant);
        }

        if (!string.Equals(form["client_id"].ToString(), ClientId, StringComparison.OrdinalIgnoreCase))
        {
            await WriteEntraErrorAsync(context, 400, "unauthorized_client", 700016,
                $"Application with identifier '{form["client_id"]}' was not found in the directory '{TenantDomain}'.").ConfigureAwait(false);
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(form["client_secret"].ToString()), System.Text.Encoding.UTF8.GetBytes(ClientSecret)))
        {
            await WriteEntraErrorAsync(context, 401, "invalid_client", 7000215, "Invalid client secret provided.").ConfigureAwait(false);
            return;
        }

        if (grant is null)
        {
            await WriteEntraErrorAsync(context, 400, "invalid_grant", 70008,
                "The provided authorization code or refresh token has expired due to inactivity or was revoked.").ConfigureAwait(false);
            return;
        }

        var accessToken = "sim." + Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var refreshToken = NewRefreshToken();
        lock (SyncRoot)
        {
            _tokens[accessToken] = _time.GetUtcNow() + TokenLifetime;
            _issuedTokens.Add(accessToken);
            _delegatedTokens[accessToken] = grant;
            _refreshTokens[refreshToken] = grant;
        }

        var lifetime = (int)TokenLifetime.TotalSeconds;
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', grant.Scopes),
            ["expires_in"] = lifetime,
            ["ext_expires_in"] = lifetime,
            ["access_token"] = accessToken,
            ["refresh_token"] = refreshToken,
        }).ConfigureAwait(false);
    }

    private void MapMessages(WebApplication app)
        => app.MapPost("/v1.0/teams/{teamId}/channels/{channelId}/messages", async context =>
        {
            var body = await ReadJsonObjectAsync(context).ConfigureAwait(false);
            await WriteResultAsync(context, PostChannelMessage(context.Request, body)).ConfigureAwait(false);
        });

    private GraphResult PostChannelMessage(HttpRequest request, JsonObject? body)
    {
        var token = request.Headers.Authorization.ToString()[7..].Trim();
        var teamId = (string)request.RouteValues["teamId"]!;
        var channelId = (string)request.RouteValues["channelId"]!;
        lock (SyncRoot)
        {
            if (!_delegatedTokens.TryGetValue(token, out var grant))
            {
                return GraphResult.Error(401, "Unauthorized",
                    "Message POST is allowed in application-only context only for import purposes. Refer to https://learn.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams for more details.");
            }

            if (!grant.Scopes.Any(s => ChannelMessageScopes.Contains(s, StringComparer.OrdinalIgnoreCase)))
            {
                return GraphResult.Error(403, "Forbidden",
                    $"Missing scope permissions on the request. API requires one of '{string.Join(", ", ChannelMessageScopes)}'. Scopes on the request '{string.Join(", ", grant.Scopes)}'.");
            }

            if (!TryFindContainer(request, channelId, out var team, out var channel, out var error))
            {
                return error!;
            }

            var isMember = team.Members.Any(m => string.Equals(m.UserId, grant.UserId, StringComparison.OrdinalIgnoreCase))
                && (channel!.MembershipType == GraphChannelMembershipType.Standard
                    || channel.Members.Any(m => string.Equals(m.UserId, grant.UserId, StringComparison.OrdinalIgnoreCase)));
            if (!isMember)
            {
                return GraphResult.Error(403, "Forbidden", "User is not a member of the team or channel.");
            }

            var messageBody = body?["body"] as JsonObject;
            var content = messageBody?["content"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(content))
            {
                return GraphResult.Error(400, "BadRequest", "Message body content cannot be empty.");
            }

            var contentType = messageBody?["contentType"]?.GetValue<string>() ?? "text";
            var createdAt = _time.GetUtcNow();
            var id = (createdAt.ToUnixTimeMilliseconds() + _channelMessages.Count).ToString(CultureInfo.InvariantCulture);
            _channelMessages.Add(new GraphChannelMessage(id, team.Id, channel!.Id, grant.UserId, contentType, content, createdAt));
            return GraphResult.Ok(201, new JsonObject
            {
                ["@odata.context"] = $"{GraphBaseUrl}/$metadata#teams('{team.Id}')/channels('{channel.Id}')/messages/$entity",
                ["id"] = id,
                ["messageType"] = "message",
                ["createdDateTime"] = createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["from"] = new JsonObject { ["user"] = new JsonObject { ["id"] = grant.UserId, ["userIdentityType"] = "aadUser" } },
                ["body"] = new JsonObject { ["contentType"] = contentType, ["content"] = content },
                ["channelIdentity"] = new JsonObject { ["teamId"] = team.Id, ["channelId"] = channel.Id },
            });
        }
    }

    private sealed record DelegatedGrant(string UserId, IReadOnlyList<string> Scopes);
}
