using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HyOpps.Workflows.Internal;

internal static class HyOppsTelemetry
{
    public const string Name = "HyOpps.Workflows";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ExecutionsStarted = Meter.CreateCounter<long>("hyopps.executions.started", description: "Executions created.");

    public static readonly Counter<long> ExecutionsCompleted = Meter.CreateCounter<long>("hyopps.executions.completed", description: "Executions that reached a final status, by status.");

    public static readonly Counter<long> StepAttempts = Meter.CreateCounter<long>("hyopps.step.attempts", description: "Step attempts, by outcome.");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("hyopps.step.duration", unit: "ms", description: "Duration of step attempts.");
}
