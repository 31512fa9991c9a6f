using System.Globalization;
using System.Text;
using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal;

/// <summary>Bulk actions: every execution a filter matches, one state-machine transition and one short commit at a time.</summary>
internal sealed partial class WorkflowClient
{
    /// <summary>How many executions a preview shows.</summary>
    internal const int BulkSampleSize = 20;

    /// <summary>How many ids one listing reads; each execution is then changed in its own commit, so no transaction spans the batch.</summary>
    internal const int BulkBatchSize = 200;

    /// <summary>The most executions one bulk action changes; a larger selection is refused so that one click cannot run for hours.</summary>
    internal const int MaxBulkExecutions = 10_000;

    public Task<BulkActionResult> BulkRetryAsync(ExecutionQuery filter, OperatorAction action, bool dryRun, IProgress<BulkActionProgress>? progress = null, CancellationToken cancellationToken = default)
        => BulkAsync(filter, action, dryRun, progress, "bulk_retry", null, (snapshot, now) => ExecutionMachine.Retry(View(snapshot), now), cancellationToken);

    public Task<BulkActionResult> BulkCancelAsync(ExecutionQuery filter, OperatorAction action, bool dryRun, IProgress<BulkActionProgress>? progress = null, CancellationToken cancellationToken = default)
        => BulkAsync(filter, action, dryRun, progress, "bulk_cancel", null, (snapshot, now) => ExecutionMachine.Cancel(View(snapshot), snapshot.Attempts, now), cancellationToken);

    public Task<BulkActionResult> BulkRerunFromAsync(ExecutionQuery filter, string stepId, OperatorAction action, bool dryRun, IProgress<BulkActionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        return BulkAsync(filter, action, dryRun, progress, "bulk_rerun_from", stepId, (snapshot, now) => ExecutionMachine.RerunFrom(View(snapshot), stepId, null, now), cancellationToken);
    }

    private async Task<BulkActionResult> BulkAsync(
        ExecutionQuery filter,
        OperatorAction action,
        bool dryRun,
        IProgress<BulkActionProgress>? progress,
        string name,
        string? stepId,
        Func<ExecutionSnapshot, DateTimeOffset, Transition> decide,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Actor, nameof(action));

        // Executions created after the action began are not part of it: the bound also keeps the pages stable while it runs.
        var bounded = filter with { CreatedTo = Earlier(filter.CreatedTo, time.GetUtcNow().AddMilliseconds(1)), Offset = 0, Limit = BulkSampleSize };
        var first = await store.ListExecutionsAsync(bounded, cancellationToken).ConfigureAwait(false);
        var sample = first.Items.Select(e => ExecutionMapper.ToSummary(e, registry.Find(e.WorkflowName, e.WorkflowVersion))).ToArray();
        if (dryRun || first.Total == 0)
        {
            return new BulkActionResult { DryRun = dryRun, Matched = first.Total, Sample = sample };
        }

        if (first.Total > MaxBulkExecutions)
        {
            throw new ArgumentException($"The filter matches {first.Total} executions, more than one bulk action may change ({MaxBulkExecutions}); narrow it (workflow, status, step, label or time range).", nameof(filter));
        }

        // The ids first, then the changes: a change can move an execution out of the filter (failed -> pending) and shift the pages.
        var ids = new List<string>(first.Total);
        for (var offset = 0; offset < first.Total; offset += BulkBatchSize)
        {
            var page = await store.ListExecutionsAsync(bounded with { Offset = offset, Limit = BulkBatchSize }, cancellationToken).ConfigureAwait(false);
            ids.AddRange(page.Items.Select(e => e.Id));
            if (page.Items.Count < BulkBatchSize)
            {
                break;
            }
        }

        var detail = Describe(filter, stepId);
        var applied = 0;
        var skipped = new List<BulkActionSkip>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                await CommitChangeAsync(id, action, name, detail, decide, cancellationToken).ConfigureAwait(false);
                if (name == "bulk_cancel")
                {
                    signals.RequestCancel(id);
                }

                applied++;
            }
            catch (ExecutionStateException ex)
            {
                skipped.Add(new BulkActionSkip(id, ex.Message));
            }
            catch (ExecutionNotFoundException)
            {
                skipped.Add(new BulkActionSkip(id, "The execution no longer exists."));
            }

            progress?.Report(new BulkActionProgress(first.Total, applied, skipped.Count));
        }

        LogBulkAction(logger, name, action.Actor, applied, skipped.Count);
        return new BulkActionResult { DryRun = false, Matched = first.Total, Sample = sample, Applied = applied, Skipped = skipped };
    }

    private static DateTimeOffset Earlier(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;

    /// <summary>The filter as the audit trail records it, so that each execution says which bulk action touched it.</summary>
    private static string Describe(ExecutionQuery filter, string? stepId)
    {
        var text = new StringBuilder("filter:");
        var at = static (DateTimeOffset t) => t.ToString("u", CultureInfo.InvariantCulture);
        if (filter.WorkflowName is not null)
        {
            text.Append(" workflow=").Append(filter.WorkflowName);
        }

        if (filter.Statuses.Count > 0)
        {
            text.Append(" status=").Append(string.Join(',', filter.Statuses));
        }

        if (filter.CurrentStepId is not null)
        {
            text.Append(" step=").Append(filter.CurrentStepId);
        }

        foreach (var (key, value) in filter.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $" {key}={value}");
        }

        if (filter.CreatedFrom is { } from)
        {
            text.Append(" from=").Append(at(from));
        }

        if (filter.CreatedTo is { } to)
        {
            text.Append(" to=").Append(at(to));
        }

        return stepId is null ? text.ToString() : $"{stepId} ({text})";
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "Bulk action {Action} by {Actor}: {Applied} changed, {Skipped} skipped.")]
    private static partial void LogBulkAction(Microsoft.Extensions.Logging.ILogger logger, string action, string actor, int applied, int skipped);
}
