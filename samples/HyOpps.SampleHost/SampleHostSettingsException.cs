namespace HyOpps.SampleHost;

/// <summary>The host's settings do not let it start; the message says which settings to add or fix.</summary>
/// <remarks><c>Program</c> prints the message alone (no stack trace) and exits with <see cref="ExitCode"/>.</remarks>
public sealed class SampleHostSettingsException : InvalidOperationException
{
    /// <summary>The process exit code of a host that refused to start for its settings (<c>EX_CONFIG</c> of sysexits.h).</summary>
    public const int ExitCode = 78;

    /// <summary>Initializes a new instance of the <see cref="SampleHostSettingsException"/> class.</summary>
    /// <param name="message">What is wrong, naming the settings.</param>
    public SampleHostSettingsException(string message)
        : base(message)
    {
    }
}
