using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>Retention: finished executions deleted in bounded batches, each batch one statement and so one transaction.</summary>
internal sealed partial class PostgresWorkflowStore
{
    private const string ExpiredFilter = "workflow_name = $1 AND status = $2 AND COALESCE(completed_at, updated_at) < $3";

    public async ValueTask<int> DeleteFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();

        // SKIP LOCKED: a row another transaction holds is left for the next pass rather than waited for.
        var count = await ScalarAsync(
            $"WITH doomed AS (SELECT id FROM {Schema}.executions WHERE {ExpiredFilter} " +
            "ORDER BY COALESCE(completed_at, updated_at) LIMIT $4 FOR UPDATE SKIP LOCKED), " +
            $"s AS (DELETE FROM {Schema}.steps WHERE execution_id IN (SELECT id FROM doomed)), " +
            $"a AS (DELETE FROM {Schema}.attempts WHERE execution_id IN (SELECT id FROM doomed)), " +
            $"au AS (DELETE FROM {Schema}.audit WHERE execution_id IN (SELECT id FROM doomed)), " +
            $"e AS (DELETE FROM {Schema}.executions WHERE id IN (SELECT id FROM doomed) RETURNING 1) " +
            "SELECT count(*)::int FROM e",
            cancellationToken,
            PgValues.Text(request.WorkflowName), PgValues.Text(PgValues.Name(request.Status)), PgValues.Time(request.FinishedBefore), PgValues.Int(request.MaxCount)).ConfigureAwait(false);
        return count is int n ? n : 0;
    }

    public async ValueTask<long> CountFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var count = await ScalarAsync(
            $"SELECT count(*) FROM {Schema}.executions WHERE {ExpiredFilter}",
            cancellationToken,
            PgValues.Text(request.WorkflowName), PgValues.Text(PgValues.Name(request.Status)), PgValues.Time(request.FinishedBefore)).ConfigureAwait(false);
        return count is long n ? n : 0;
    }
}
