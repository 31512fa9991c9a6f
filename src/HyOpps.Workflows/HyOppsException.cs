namespace HyOpps;

/// <summary>The base of every exception HyOpps throws on purpose.</summary>
public class HyOppsException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="HyOppsException"/> class.</summary>
    public HyOppsException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HyOppsException"/> class.</summary>
    /// <param name="message">A message a person can act on.</param>
    public HyOppsException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HyOppsException"/> class.</summary>
    /// <param name="message">A message a person can act on.</param>
    /// <param name="innerException">The cause.</param>
    public HyOppsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
