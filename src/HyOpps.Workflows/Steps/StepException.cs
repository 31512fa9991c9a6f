namespace HyOpps.Workflows;

/// <summary>A step failure, classified as retryable or not, with a message a person can act on.</summary>
public sealed class StepException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="StepException"/> class.</summary>
    /// <param name="message">A message a person can act on; never include secrets.</param>
    /// <param name="errorType">A short machine-readable type, see <see cref="StepErrorTypes"/>.</param>
    /// <param name="isRetryable">Whether another attempt may succeed.</param>
    /// <param name="retryAfter">How long the service asked us to wait, if it said.</param>
    /// <param name="innerException">The cause.</param>
    public StepException(string message, string errorType, bool isRetryable, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        ErrorType = errorType;
        IsRetryable = isRetryable;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the short machine-readable error type.</summary>
    public string ErrorType { get; }

    /// <summary>Gets a value indicating whether another attempt may succeed.</summary>
    public bool IsRetryable { get; }

    /// <summary>Gets how long to wait before the next attempt, when the service said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets the workflow name, once the runtime has seen the exception.</summary>
    public string? WorkflowName { get; internal set; }

    /// <summary>Gets the execution id, once the runtime has seen the exception.</summary>
    public string? ExecutionId { get; internal set; }

    /// <summary>Gets the step id, once the runtime has seen the exception.</summary>
    public string? StepId { get; internal set; }

    /// <summary>Creates a retryable failure.</summary>
    /// <param name="message">A message a person can act on.</param>
    /// <param name="errorType">The error type; <see cref="StepErrorTypes.Transient"/> by default.</param>
    /// <param name="retryAfter">How long the service asked us to wait.</param>
    /// <param name="innerException">The cause.</param>
    /// <returns>The exception.</returns>
    public static StepException Transient(string message, string errorType = StepErrorTypes.Transient, TimeSpan? retryAfter = null, Exception? innerException = null)
        => new(message, errorType, isRetryable: true, retryAfter, innerException);

    /// <summary>Creates a failure that retrying will not fix.</summary>
    /// <param name="message">A message a person can act on.</param>
    /// <param name="errorType">The error type; <see cref="StepErrorTypes.Permanent"/> by default.</param>
    /// <param name="innerException">The cause.</param>
    /// <returns>The exception.</returns>
    public static StepException Permanent(string message, string errorType = StepErrorTypes.Permanent, Exception? innerException = null)
        => new(message, errorType, isRetryable: false, retryAfter: null, innerException);

    /// <summary>Creates the permanent failure of an integration whose settings are missing.</summary>
    /// <param name="message">Names the settings to add, for example "SMTP is not configured: set Email:Host ...".</param>
    /// <returns>The exception.</returns>
    public static StepException NotConfigured(string message) => Permanent(message, StepErrorTypes.NotConfigured);
}
