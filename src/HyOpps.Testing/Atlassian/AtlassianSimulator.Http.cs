using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Atlassian;

/// <summary>Authentication and the JSON and error formats shared by the endpoints.</summary>
public sealed partial class AtlassianSimulator
{
    private static Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static string JiraErrorBody(string message)
        => new JsonObject { ["errorMessages"] = new JsonArray(message), ["errors"] = new JsonObject() }.ToJsonString();

    private static Task JiraErrorAsync(HttpContext context, int status, string? message, string? field = null, string? fieldMessage = null)
    {
        var errors = new JsonObject();
        if (field is not null)
        {
            errors[field] = fieldMessage;
        }

        var messages = new JsonArray();
        if (message is not null)
        {
            messages.Add(message);
        }

        return WriteJsonAsync(context, status, new JsonObject { ["errorMessages"] = messages, ["errors"] = errors });
    }

    private static Task AdminErrorAsync(HttpContext context, int status, string code, string title, string detail)
        => WriteJsonAsync(context, status, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["status"] = status.ToString(CultureInfo.InvariantCulture),
                ["code"] = code,
                ["title"] = title,
                ["detail"] = detail,
            }),
        });

    private static int QueryInt(HttpContext context, string name, int fallback)
        => int.TryParse(context.Request.Query[name].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool IsBasicAuthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            return string.Equals(decoded, $"{Email}:{ApiToken}", StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task<bool> RequireBasicAsync(HttpContext context)
    {
        if (IsBasicAuthorized(context))
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"protected-area\"";
        context.Response.ContentType = "text/plain;charset=UTF-8";
        await context.Response.WriteAsync("Client must be authenticated to access this resource.").ConfigureAwait(false);
        return false;
    }

    private async Task<bool> RequireSiteAdminAsync(HttpContext context)
    {
        if (IsSiteAdmin)
        {
            return true;
        }

        await JiraErrorAsync(context, StatusCodes.Status403Forbidden, "You do not have the permission to manage users and groups. Site administration permission is required.").ConfigureAwait(false);
        return false;
    }
}
