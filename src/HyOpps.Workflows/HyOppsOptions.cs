namespace HyOpps.Workflows;

/// <summary>Options of the HyOpps workflow runtime.</summary>
public sealed partial class HyOppsOptions
{
    /// <summary>Gets or sets how many executions one host runs at once. The default value is 32.</summary>
    public int MaxConcurrentExecutions { get; set; } = 32;

    /// <summary>Gets or sets how often the worker looks for work that no in-process signal announced. The default value is 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long a claim on an execution lasts before another worker may take it; renewed while a step runs. The default value is 60 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets this worker's id, recorded on leases and attempts. The default value is the machine name, process id and a random suffix.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Gets or sets a value indicating whether this host runs executions (a hosted worker); <see langword="false"/> for a client-only host. The default value is <see langword="true"/>.</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>Gets or sets the largest workflow input accepted, in UTF-8 bytes. The default value is 256 KiB.</summary>
    public int MaxInputBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets how many attempts of one step may be abandoned (their worker stopped or died before they ended) before the
    /// execution fails, saying that the worker kept stopping during that step. Abandoned attempts do not count against the
    /// step's retry policy. The default value is 10.
    /// </summary>
    public int MaxAbandonedAttempts { get; set; } = 10;

    /// <summary>Gets or sets how long an execution may be due and unclaimed (its lease expired, or its retry due) before metrics and health checks count it as stuck. The default value is 5 minutes.</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the retry policy of steps that set none. The default value is <see cref="RetryPolicy.Default"/>.</summary>
    public RetryPolicy DefaultRetryPolicy { get; set; } = new();

    /// <summary>Gets the JSON property names (case-insensitive) removed from inputs, outputs and checkpoints before they are stored.</summary>
    public ISet<string> SecretPropertyNames { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "password", "secret", "client_secret", "token", "access_token", "refresh_token", "api_key", "apikey",
        "api_token", "authorization", "bot_token", "admin_token", "session_token",
    };
}
