using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Atlassian;

/// <summary>The Organization Admin API's invite endpoint.</summary>
public sealed partial class AtlassianSimulator
{
    private async Task InviteAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!string.Equals(header, "Bearer " + OrgAdminApiKey, StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, 401, "ADMIN-UAM-401-1", "Unauthenticated", "The API key is missing, invalid or expired.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(context.Request.RouteValues["orgId"] as string, OrgId, StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, 404, "ADMIN-UAM-404-2", "Organization not found", "No organization has this id for this API key.").ConfigureAwait(false);
            return;
        }

        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var emails = (body?["emails"] as JsonArray)?.Select(e => e?.GetValueKind() == JsonValueKind.String ? e.GetValue<string>().Trim() : string.Empty).ToList() ?? [];
        var groups = (body?["additionalGroups"] as JsonArray)?.Select(g => g?.GetValueKind() == JsonValueKind.String ? g.GetValue<string>() : string.Empty).ToList() ?? [];
        var notify = body?["sendNotification"]?.GetValueKind() == JsonValueKind.True;
        if (emails.Count is 0 or > 25 || emails.Any(e => !e.Contains('@', StringComparison.Ordinal)))
        {
            await AdminErrorAsync(context, 400, "ADMIN-UAM-400-1", "Bad Request", "emails must hold 1 to 25 valid email addresses.").ConfigureAwait(false);
            return;
        }

        JsonArray data;
        lock (SyncRoot)
        {
            var unknown = groups.FirstOrDefault(g => !_groups.ContainsKey(g));
            if (unknown is not null)
            {
                data = [];
                groups = [unknown];
            }
            else
            {
                _invites.Add(new AtlassianSimulatorInvite(emails, groups, notify));
                data = new JsonArray(emails.Select(email => (JsonNode)InviteOne(email, groups)).ToArray());
                groups = [];
            }
        }

        if (groups.Count > 0)
        {
            await AdminErrorAsync(context, 404, "ADMIN-UAM-404-3", "Group Not Found", $"Group '{groups[0]}' was not found.").ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["data"] = data }).ConfigureAwait(false);
    }

    private JsonObject InviteOne(string email, List<string> groups)
    {
        string accountId;
        if (FindByEmail(email) is { } existing)
        {
            accountId = existing.Id;
            foreach (var group in groups.Select(g => _groups[g]).Where(g => !g.Members.Contains(existing.Id)))
            {
                group.Members.Add(existing.Id);
            }
        }
        else
        {
            if (!_pending.TryGetValue(email, out var pending))
            {
                pending = new Pending(email, NewAccountId());
                _pending[email] = pending;
            }

            pending.Groups.UnionWith(groups);
            accountId = pending.AccountId;
            if (_invitedAccountVisibleAfterSearches == 0)
            {
                Materialise(pending);
            }
        }

        return new JsonObject
        {
            ["id"] = accountId,
            ["email"] = email,
            ["results"] = new JsonArray(new JsonObject
            {
                ["groupAssignmentResult"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject { ["groupId"] = g, ["status"] = "SUCCESS" }).ToArray()),
            }),
        };
    }
}
