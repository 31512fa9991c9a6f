using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace HyOpps.SampleHost.Api;

/// <summary>Answers a body or query value that cannot be read (bad JSON, a wrong type, an unknown or repeated field, too large) with problem details naming the field.</summary>
internal sealed partial class BadRequestExceptionHandler : IExceptionHandler
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
        else if (BindFailure().Match(bad.Message) is { Success: true } failed)
        {
            // "Failed to bind parameter "int? limit" from "abc"." names the C# parameter: answer with the name the caller used.
            field = RequestName(httpContext, failed.Groups["name"].Value);
            message = failed.Groups["value"].Success
                ? $"'{Domain.InputRules.Shorten(failed.Groups["value"].Value)}' is not a valid value for {field} (expected {failed.Groups["type"].Value.TrimEnd('?')})."
                : $"{field} is required.";
        }
        else
        {
            field = "body";
            message = bad.Message;
        }

        await Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }).ExecuteAsync(httpContext);
        return true;
    }

    private static string RequestName(HttpContext http, string parameter)
    {
        var info = http.GetEndpoint()?.Metadata.OfType<MethodInfo>().FirstOrDefault()?.GetParameters().FirstOrDefault(p => p.Name == parameter);
        return info?.GetCustomAttribute<FromQueryAttribute>()?.Name
            ?? info?.GetCustomAttribute<FromRouteAttribute>()?.Name
            ?? info?.GetCustomAttribute<FromHeaderAttribute>()?.Name
            ?? parameter;
    }

    [GeneratedRegex("""^(Failed to bind|Required) parameter "(?<type>[^"]*) (?<name>[^" ]+)"( from "(?<value>.*)"\.$| was not provided)""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

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
