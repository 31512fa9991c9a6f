namespace HyOpps.SampleHost.Api;

/// <summary>An answer other than success, raised by the services and turned into problem details by <see cref="ApiProblemFilter"/>.</summary>
public sealed class ApiProblemException : Exception
{
    private ApiProblemException(int status, string message, IReadOnlyDictionary<string, string[]>? errors)
        : base(message)
    {
        Status = status;
        Errors = errors;
    }

    public int Status { get; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    public static ApiProblemException Invalid(string field, string message) => new(StatusCodes.Status400BadRequest, message, new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblemException Invalid(FieldErrors errors)
        => new(StatusCodes.Status400BadRequest, "The request is not valid.", errors.Errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public static ApiProblemException NotFound(string message) => new(StatusCodes.Status404NotFound, message, null);

    public static ApiProblemException Conflict(string message) => new(StatusCodes.Status409Conflict, message, null);

    public static ApiProblemException Forbidden(string message) => new(StatusCodes.Status403Forbidden, message, null);

    public IResult ToResult() => Status switch
    {
        StatusCodes.Status400BadRequest when Errors is not null => Results.ValidationProblem(Errors),
        StatusCodes.Status404NotFound => ApiResults.NotFound(Message),
        StatusCodes.Status409Conflict => ApiResults.Conflict(Message),
        StatusCodes.Status403Forbidden => ApiResults.Forbidden(Message),
        _ => Results.Problem(statusCode: Status, detail: Message),
    };
}
