namespace HyOpps.Workflows.Internal;

/// <summary>The ids of HyOpps's own diagnostics, listed in the repository's docs/diagnostics.md.</summary>
internal static class HyOppsDiagnostics
{
    public const string ExperimentalStore = "HYOPPS0001";
}
