namespace HyOpps.Workflows.Storage;

/// <content>The overview: aggregate counts for an operator's landing page.</content>
public partial interface IWorkflowStore
{
    /// <summary>Reads the overview's numbers in one snapshot: counts by workflow and status, failing steps, starts per hour and the due backlog.</summary>
    /// <param name="request">The time, the scope labels, the window and how many failing steps.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The overview.</returns>
    /// <exception cref="ArgumentException">The request is out of range.</exception>
    /// <remarks>
    /// A failing step counts executions that are failed now, at that step, and finished (their <see cref="ExecutionRecord.CompletedAt"/>,
    /// else <see cref="ExecutionRecord.UpdatedAt"/>) within the window; its error is the step's own error, else the execution's.
    /// Due is as in <see cref="GetStatusAsync"/>, restricted to the labels.
    /// </remarks>
    ValueTask<ExecutionOverview> GetOverviewAsync(OverviewRequest request, CancellationToken cancellationToken);
}
