namespace HyOpps.SampleHost.Api;

/// <summary>Problem-details answers (RFC 7807) shared by the endpoints.</summary>
internal static class ApiResults
{
    public static IResult NotFound(string what) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    public static IResult Conflict(string detail) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static IResult Forbidden(string detail) => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail);

    public static IResult Invalid(string field, string message) => Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(Dictionary<string, List<string>> errors)
        => Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}

/// <summary>Collects field errors keyed by the JSON field name.</summary>
public sealed class FieldErrors
{
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public bool Any => Errors.Count > 0;

    public void Add(string field, string? message)
    {
        if (message is null)
        {
            return;
        }

        if (!Errors.TryGetValue(field, out var list))
        {
            Errors[field] = list = [];
        }

        list.Add(message);
    }

    public IResult ToResult() => ApiResults.Invalid(Errors);
}
