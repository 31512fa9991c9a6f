using System.Text.Json;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>Retention: finished executions deleted in bounded batches, then their pages given back to the file system.</summary>
internal sealed partial class SqliteWorkflowStore
{
    private const string ExpiredFilter =
        "workflow_name = @w AND status = @s AND COALESCE(completed_at, updated_at) < @before";

    public async ValueTask<int> DeleteFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        var deleted = await writer.WriteAsync(w =>
        {
            var select = w.Command($"SELECT id FROM executions WHERE {ExpiredFilter} ORDER BY COALESCE(completed_at, updated_at) LIMIT @max");
            select.Parameters.AddWithValue("@w", request.WorkflowName);
            select.Parameters.AddWithValue("@s", Name(request.Status));
            select.Parameters.AddWithValue("@before", ToUnix(request.FinishedBefore));
            select.Parameters.AddWithValue("@max", request.MaxCount);
            var ids = new List<string>(request.MaxCount);
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            if (ids.Count == 0)
            {
                return 0;
            }

            // execution_labels is keyed by (key, value, execution_id): its rows are found through the execution's own labels.
            var delete = w.Command(
                "DELETE FROM execution_labels WHERE (key, value, execution_id) IN " +
                "(SELECT j.key, j.value, e.id FROM executions e, json_each(e.labels) j WHERE e.id IN (SELECT value FROM json_each(@ids)));" +
                "DELETE FROM steps WHERE execution_id IN (SELECT value FROM json_each(@ids));" +
                "DELETE FROM attempts WHERE execution_id IN (SELECT value FROM json_each(@ids));" +
                "DELETE FROM audit WHERE execution_id IN (SELECT value FROM json_each(@ids));" +
                "DELETE FROM executions WHERE id IN (SELECT value FROM json_each(@ids));");
            delete.Parameters.AddWithValue("@ids", JsonSerializer.Serialize(ids));
            delete.ExecuteNonQuery();
            return ids.Count;
        }, cancellationToken).ConfigureAwait(false);

        if (deleted > 0)
        {
            // A no-op unless the file was created with auto_vacuum = INCREMENTAL (every file this version creates).
            await writer.WriteAsync(w => w.Command("PRAGMA incremental_vacuum").ExecuteNonQuery(), cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    public async ValueTask<long> CountFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Query(connection, null, $"SELECT COUNT(*) FROM executions WHERE {ExpiredFilter}",
            ("@w", request.WorkflowName), ("@s", Name(request.Status)), ("@before", ToUnix(request.FinishedBefore)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
