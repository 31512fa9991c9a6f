using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Graph;

/// <content>JSON, error envelopes and permission checks shared by the Graph endpoints.</content>
public sealed partial class GraphSimulator
{
    /// <summary>Builds a Graph error body, <c>{"error": {"code", "message", "innerError": {...}}}</c>, for use with <see cref="Simulation.HttpSimulator.Faults"/>.</summary>
    /// <param name="code">The error code, for example <c>Authorization_RequestDenied</c>.</param>
    /// <param name="message">The message.</param>
    /// <returns>The JSON text.</returns>
    public static string ErrorBody(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentNullException.ThrowIfNull(message);
        return ErrorNode(code, message, TimeProvider.System.GetUtcNow(), Guid.NewGuid().ToString(), null).ToJsonString();
    }

    private static JsonObject ErrorNode(string code, string message, DateTimeOffset date, string requestId, string? clientRequestId) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new JsonObject
            {
                ["date"] = date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                ["request-id"] = requestId,
                ["client-request-id"] = clientRequestId ?? requestId,
            },
        },
    };

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        if (body is null)
        {
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private Task WriteGraphErrorAsync(HttpContext context, int status, string code, string message)
    {
        var requestId = Guid.NewGuid().ToString();
        var clientRequestId = context.Request.Headers["client-request-id"].ToString();
        context.Response.Headers["request-id"] = requestId;
        return WriteJsonAsync(context, status, ErrorNode(code, message, _time.GetUtcNow(), requestId, string.IsNullOrEmpty(clientRequestId) ? null : clientRequestId));
    }

    private Task WriteResultAsync(HttpContext context, GraphResult result)
        => result.ErrorCode is { } code
            ? WriteGraphErrorAsync(context, result.Status, code, result.ErrorMessage ?? string.Empty)
            : WriteJsonAsync(context, result.Status, result.Body);

    private bool HasAnyPermission(params string[] permissions)
    {
        lock (SyncRoot)
        {
            return permissions.Any(_permissions.Contains);
        }
    }

    private string RolesOnRequest()
    {
        lock (SyncRoot)
        {
            return string.Join(",", _permissions.Order(StringComparer.Ordinal));
        }
    }

    private static GraphResult DirectoryDenied()
        => GraphResult.Error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

    private GraphResult TeamsDenied(params string[] permissions)
        => GraphResult.Error(403, "Forbidden",
            $"Missing role permissions on the request. API requires one of '{string.Join(", ", permissions)}'. Roles on the request '{RolesOnRequest()}'. Resource specific consent grants on the request ''.");

    private static async Task<JsonObject?> ReadJsonObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record GraphResult(int Status, JsonNode? Body, string? ErrorCode = null, string? ErrorMessage = null)
    {
        public static GraphResult Ok(int status, JsonNode? body) => new(status, body);

        public static GraphResult Error(int status, string code, string message) => new(status, null, code, message);
    }
}
