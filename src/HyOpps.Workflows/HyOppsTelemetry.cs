namespace HyOpps.Workflows;

/// <summary>The names under which HyOpps reports traces and metrics, for example to OpenTelemetry's <c>AddSource</c> and <c>AddMeter</c>.</summary>
public static class HyOppsTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of <c>hyopps.execution</c> and <c>hyopps.step</c> spans.</summary>
    public const string ActivitySourceName = "HyOpps.Workflows";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the runtime's and the stores' metrics.</summary>
    public const string MeterName = "HyOpps.Workflows";
}
