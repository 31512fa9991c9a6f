namespace HyOpps.SampleHost.Starts;

/// <summary>The settings of the pending-start reconciler (section "HyOpps:PendingStarts").</summary>
public sealed class PendingStartOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string Section = "HyOpps:PendingStarts";

    /// <summary>Gets or sets how often the reconciler looks for pending starts older than one interval. The default value is 30 seconds.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);
}
