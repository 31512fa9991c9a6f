using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal;

/// <summary>A worker's working copy of a claimed execution: the records as last decided, and the claim's fencing token.</summary>
internal sealed class ExecutionState(ExecutionView view, long fencingToken)
{
    private readonly Lock _lock = new();
    private ExecutionView _view = view;

    public ExecutionView View
    {
        get
        {
            lock (_lock)
            {
                return _view;
            }
        }
    }

    public ExecutionRecord Execution => View.Execution;

    public IReadOnlyList<StepRecord> Steps => View.Steps;

    public long FencingToken { get; } = fencingToken;

    /// <summary>Changes the view atomically: the lease heartbeat and a step's checkpoint may change it while the step runs.</summary>
    public ExecutionView Update(Func<ExecutionView, ExecutionView> change)
    {
        lock (_lock)
        {
            _view = change(_view);
            return _view;
        }
    }
}
