namespace HyOpps.Workflows;

/// <summary>Well-known values of <see cref="StepException.ErrorType"/>.</summary>
public static class StepErrorTypes
{
    /// <summary>A passing fault: network, 5xx, timeout.</summary>
    public const string Transient = "transient";

    /// <summary>The service asked us to slow down.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>A failure that retrying will not fix.</summary>
    public const string Permanent = "permanent";

    /// <summary>The integration's settings are missing.</summary>
    public const string NotConfigured = "not_configured";

    /// <summary>Credentials were rejected.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The credentials lack a permission.</summary>
    public const string PermissionDenied = "permission_denied";

    /// <summary>Something the step needs does not exist.</summary>
    public const string NotFound = "not_found";

    /// <summary>The input is not valid.</summary>
    public const string InvalidInput = "invalid_input";

    /// <summary>An earlier step's output is missing.</summary>
    public const string MissingOutput = "missing_output";

    /// <summary>The step ran longer than its timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>A person rejected a manual step.</summary>
    public const string Rejected = "rejected";

    /// <summary>An exception the step did not classify.</summary>
    public const string Unhandled = "unhandled";
}
