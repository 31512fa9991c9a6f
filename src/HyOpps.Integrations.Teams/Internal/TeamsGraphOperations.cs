using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>The Microsoft Graph calls the Teams steps make, kept to what the public Graph API documents.</summary>
internal static class TeamsGraphOperations
{
    // A team has at most 25,000 members; this bounds a misbehaving server's endless nextLink chain.
    private const int MaxPages = 500;

    private static readonly string[] UserFields = ["id", "displayName", "mail", "userType", "externalUserState"];

    /// <summary>Finds a directory user whose <c>mail</c> is <paramref name="email"/> (case-insensitive), or <see langword="null"/>.</summary>
    public static async Task<User?> FindUserByEmailAsync(this GraphServiceClient graph, string email, CancellationToken cancellationToken)
    {
        var literal = email.Replace("'", "''", StringComparison.Ordinal);
        var page = await graph.Users.GetAsync(
            request =>
            {
                request.QueryParameters.Filter = $"mail eq '{literal}'";
                request.QueryParameters.Select = UserFields;
            },
            cancellationToken).ConfigureAwait(false);

        // Compared again here, so a server that ignored the filter cannot hand back someone else.
        return page?.Value?.FirstOrDefault(u => string.Equals(u.Mail?.Trim(), email, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(u.Id));
    }

    /// <summary>Reads a directory user by object id, or <see langword="null"/> when Graph answers 404.</summary>
    public static async Task<User?> GetUserAsync(this GraphServiceClient graph, string userId, CancellationToken cancellationToken)
    {
        try
        {
            return await graph.Users[userId].GetAsync(request => request.QueryParameters.Select = UserFields, cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Kiota.Abstractions.ApiException ex) when (ex.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    public static async Task<Invitation> InviteAsync(this GraphServiceClient graph, Invitation invitation, CancellationToken cancellationToken)
        => await graph.Invitations.PostAsync(invitation, cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Microsoft Graph answered the invitation with an empty body.");

    public static async Task<AadUserConversationMember?> FindTeamMemberAsync(
        this GraphServiceClient graph, string teamId, Func<AadUserConversationMember, bool> match, CancellationToken cancellationToken)
    {
        var members = graph.Teams[teamId].Members;
        var page = await members.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var pages = 1; page is not null; pages++)
        {
            var found = page.Value?.OfType<AadUserConversationMember>().FirstOrDefault(match);
            if (found is not null || string.IsNullOrEmpty(page.OdataNextLink) || pages >= MaxPages)
            {
                return found;
            }

            page = await members.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public static async Task<AadUserConversationMember?> FindChannelMemberAsync(
        this GraphServiceClient graph, string teamId, string channelId, Func<AadUserConversationMember, bool> match, CancellationToken cancellationToken)
    {
        var members = graph.Teams[teamId].Channels[channelId].Members;
        var page = await members.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var pages = 1; page is not null; pages++)
        {
            var found = page.Value?.OfType<AadUserConversationMember>().FirstOrDefault(match);
            if (found is not null || string.IsNullOrEmpty(page.OdataNextLink) || pages >= MaxPages)
            {
                return found;
            }

            page = await members.WithUrl(page.OdataNextLink).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public static Task<ConversationMember?> AddTeamMemberAsync(this GraphServiceClient graph, string graphBaseUrl, string teamId, string userId, CancellationToken cancellationToken)
        => graph.Teams[teamId].Members.PostAsync(NewMember(graphBaseUrl, userId), cancellationToken: cancellationToken);

    public static Task<ConversationMember?> AddChannelMemberAsync(
        this GraphServiceClient graph, string graphBaseUrl, string teamId, string channelId, string userId, CancellationToken cancellationToken)
        => graph.Teams[teamId].Channels[channelId].Members.PostAsync(NewMember(graphBaseUrl, userId), cancellationToken: cancellationToken);

    public static Task RemoveTeamMemberAsync(this GraphServiceClient graph, string teamId, string membershipId, CancellationToken cancellationToken)
        => graph.Teams[teamId].Members[membershipId].DeleteAsync(cancellationToken: cancellationToken);

    public static bool IsUser(this AadUserConversationMember member, string userId)
        => string.Equals(member.UserId, userId, StringComparison.OrdinalIgnoreCase);

    private static AadUserConversationMember NewMember(string graphBaseUrl, string userId) => new()
    {
        // Empty roles mean "member"; Graph itself puts "guest" into the roles of a guest.
        Roles = [],
        AdditionalData = new Dictionary<string, object>
        {
            ["user@odata.bind"] = $"{graphBaseUrl.TrimEnd('/')}/users('{Uri.EscapeDataString(userId)}')",
        },
    };
}
