namespace HyOpps.Workflows;

/// <summary>An operator action does not fit the execution's current state (for example retrying a running execution).</summary>
public sealed class ExecutionStateException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="ExecutionStateException"/> class.</summary>
    /// <param name="message">Says what the state is and what is allowed.</param>
    public ExecutionStateException(string message)
        : base(message)
    {
    }
}
