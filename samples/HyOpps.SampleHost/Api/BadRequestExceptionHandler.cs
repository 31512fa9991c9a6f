using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace HyOpps.SampleHost.Api;

/// <summary>Answers a body that cannot be read (bad JSON, a wrong type, an unknown field, too large) with problem details naming the field.</summary>
internal sealed class BadRequestExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        if (bad.StatusCode != StatusCodes.Status400BadRequest)
        {
            await Results.Problem(statusCode: bad.StatusCode, detail: bad.Message).ExecuteAsync(httpContext);
            return true;
        }

        var json = bad.InnerException as JsonException ?? bad.InnerException?.InnerException as JsonException;
        string field;
        string message;
        if (json is not null)
        {
            field = FieldOf(json.Path);
            message = json.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0];
        }
        else
        {
            field = "body";
            message = bad.Message;
        }

        await Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }).ExecuteAsync(httpContext);
        return true;
    }

    // "$.documentation_links[0].url" -> "documentation_links[0].url"; "$" (the body itself) -> "body".
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}
