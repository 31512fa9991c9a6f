using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>The store's writes, each one statement (see PostgresWorkflowStore.Statements.cs) so that a batch can carry many of them in one round trip.</summary>
internal sealed partial class PostgresWorkflowStore
{
    // A row upserted twice by one statement is an error in PostgreSQL: the last record of each key wins, as it would in sequence.
    private static IReadOnlyList<T> LastOfEachKey<T, TKey>(IReadOnlyList<T> records, Func<T, TKey> key)
        where TKey : notnull
    {
        if (records.Count < 2)
        {
            return records;
        }

        var last = new Dictionary<TKey, T>();
        foreach (var record in records)
        {
            last[key(record)] = record;
        }

        return last.Count == records.Count ? records : [.. last.Values];
    }

    /// <summary>
    /// The steps of a new execution as its row keeps them: the ids of steps 0 to n-1, and rows only for those that are not
    /// the plain pending record the ids imply (see <see cref="RunningOverlay"/>); steps with gaps in their indexes all as rows.
    /// </summary>
    private static (string[]? StepIds, IReadOnlyList<StepRecord> Rows) Implied(string executionId, IReadOnlyList<StepRecord> steps)
    {
        var ordered = steps.OrderBy(s => s.Index).ToArray();
        if (ordered.Length == 0 || ordered.Where((s, i) => s.Index != i).Any())
        {
            return (null, steps);
        }

        return ([.. ordered.Select(s => s.StepId)], [.. ordered.Where(s => s != RunningOverlay.Pending(executionId, s.Index, s.StepId))]);
    }

    private static IReadOnlyList<StepRecord> Steps(ExecutionCommit commit) => LastOfEachKey(commit.Steps, s => s.Index);

    private static IReadOnlyList<AttemptRecord> Attempts(ExecutionCommit commit) => LastOfEachKey(commit.Attempts, a => (a.StepIndex, a.Run, a.Number));

    // Running records go to the execution row's overlay (RunningOverlay), ended ones to their tables.
    private static IReadOnlyList<StepRecord> Ended(IReadOnlyList<StepRecord> steps) => steps.All(s => !RunningOverlay.IsRunning(s)) ? steps : [.. steps.Where(s => !RunningOverlay.IsRunning(s))];

    private static IReadOnlyList<AttemptRecord> Ended(IReadOnlyList<AttemptRecord> attempts)
        => attempts.All(a => !RunningOverlay.IsRunning(a)) ? attempts : [.. attempts.Where(a => !RunningOverlay.IsRunning(a))];

    private static bool Runnable(ExecutionRecord e)
        => e.Status is ExecutionStatus.Pending or ExecutionStatus.Running && e.LeaseOwner is null && (e.NextRunAt is null || e.NextRunAt <= e.UpdatedAt);

    private sealed class CreateOperation(PostgresWorkflowStore store, ExecutionRecord execution, IReadOnlyList<StepRecord> steps, IReadOnlyList<AuditRecord> audit)
        : WriteOperation<CreateExecutionResult?>
    {
        public override string ExecutionId => execution.Id;

        public override bool AnnouncesWork => Runnable(execution);

        public override void AddCommands(NpgsqlBatch batch)
        {
            var e = execution;
            var command = new NpgsqlBatchCommand(store.CreateSql);
            var p = command.Parameters;
            p.Add(PgValues.Text(e.Id));
            p.Add(PgValues.Text(e.WorkflowName));
            p.Add(PgValues.Int(e.WorkflowVersion));
            p.Add(PgValues.Text(PgValues.Name(e.Status)));
            p.Add(PgValues.Text(e.Input));
            p.Add(PgValues.Text(e.IdempotencyKey));
            p.Add(PgValues.Json(System.Text.Json.JsonSerializer.Serialize(e.Labels)));
            p.Add(PgValues.Int(e.CurrentStepIndex));
            p.Add(PgValues.Time(e.CreatedAt));
            p.Add(PgValues.Time(e.UpdatedAt));
            p.Add(PgValues.Time(e.CompletedAt));
            p.Add(PgValues.Time(e.NextRunAt));
            p.Add(PgValues.Text(e.LeaseOwner));
            p.Add(PgValues.Time(e.LeaseExpiresAt));
            p.Add(PgValues.Text(e.Error));
            p.Add(PgValues.Text(e.ErrorType));
            p.Add(PgValues.Text(e.WaitingReason));
            p.Add(PgValues.Text(e.TraceParent));
            p.Add(PgValues.Long(DueAt(e)));
            var (stepIds, rows) = Implied(e.Id, LastOfEachKey(steps, s => s.Index));
            p.Add(PgValues.TextArray(stepIds));
            AddSteps(command, rows);
            AddAudit(command, audit);
            batch.BatchCommands.Add(command);
        }

        public override async Task ReadAsync(NpgsqlDataReader reader)
        {
            await reader.ReadAsync().ConfigureAwait(false);
            if (reader.GetInt32(0) == 1)
            {
                Result = new CreateExecutionResult(execution with { FencingToken = 0, Version = 1 }, Created: true);
            }
            else
            {
                Result = reader.IsDBNull(1) ? null : new CreateExecutionResult(ReadExecution(reader, 1), Created: false);
            }

            await reader.NextResultAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Puts the plain commits of a batch, one per execution, into one statement; the batch's other writes stay as they are.</summary>
    private IReadOnlyList<WriteOperation> GroupCommits(IReadOnlyList<WriteOperation> operations)
    {
        var statements = new List<WriteOperation>(operations.Count);
        var group = new List<CommitOperation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var at = -1;
        foreach (var operation in operations)
        {
            // The group runs where its first member stood, so a member moves ahead of the writes between: only an execution's
            // first write of the batch may join, and any later one stays a statement of its own, in its place, its guard
            // seeing what went before.
            var first = seen.Add(operation.ExecutionId);
            if (first && operation is CommitOperation { IsPlain: true } commit)
            {
                if (group.Count == 0)
                {
                    at = statements.Count;
                    statements.Add(commit);
                }

                group.Add(commit);
            }
            else
            {
                statements.Add(operation);
            }
        }

        if (group.Count < 2)
        {
            return operations;
        }

        statements[at] = new GroupCommitOperation(this, group);
        return statements;
    }

    private sealed class CommitOperation(PostgresWorkflowStore store, ExecutionCommit commit) : WriteOperation<bool>
    {
        public override string ExecutionId => commit.Execution.Id;

        public ExecutionCommit Commit => commit;

        /// <summary>Gets a value indicating whether the commit writes only the execution, its steps and attempts, so that it can share a statement.</summary>
        public bool IsPlain => commit.Notifications.Count == 0 && commit.Audit.Count == 0;

        public override bool AnnouncesWork => Runnable(commit.Execution);

        public override void AddCommands(NpgsqlBatch batch)
        {
            var e = commit.Execution;
            var command = new NpgsqlBatchCommand(store.CommitSql);
            var p = command.Parameters;
            p.Add(PgValues.Text(e.Id));
            p.Add(PgValues.Text(PgValues.Name(e.Status)));
            p.Add(PgValues.Int(e.CurrentStepIndex));
            p.Add(PgValues.Time(e.UpdatedAt));
            p.Add(PgValues.Time(e.CompletedAt));
            p.Add(PgValues.Time(e.NextRunAt));
            p.Add(PgValues.Text(e.LeaseOwner));
            p.Add(PgValues.Time(e.LeaseExpiresAt));
            p.Add(PgValues.Long(DueAt(e)));
            p.Add(PgValues.Text(e.Error));
            p.Add(PgValues.Text(e.ErrorType));
            p.Add(PgValues.Text(e.WaitingReason));
            p.Add(PgValues.Long(commit.RevokeLease ? 1 : 0));
            p.Add(PgValues.Long(commit.ExpectedFencingToken));
            p.Add(PgValues.Long(commit.ExpectedVersion));
            var (steps, attempts) = (Steps(commit), Attempts(commit));
            p.Add(PgValues.Text(RunningOverlay.StepChanges(steps)));
            p.Add(PgValues.Text(RunningOverlay.AttemptChanges(attempts)));
            AddSteps(command, Ended(steps));
            AddAttempts(command, Ended(attempts));
            AddAudit(command, commit.Audit);
            if (commit.Notifications.Count > 0)
            {
                command.CommandText = store.CommitWithNotificationsSql;
                AddNotifications(command, commit.Notifications);
            }

            batch.BatchCommands.Add(command);
        }

        public override async Task ReadAsync(NpgsqlDataReader reader)
        {
            await reader.ReadAsync().ConfigureAwait(false);
            Result = reader.GetInt32(0) == 1;
            await reader.NextResultAsync().ConfigureAwait(false);
        }

        /// <summary>Completes the commit with the outcome its row had in a shared statement.</summary>
        public void Complete(bool committed)
        {
            Result = committed;
            Complete();
        }
    }

    /// <summary>Plain commits of several executions in one statement (<see cref="GroupCommitSql"/>); each completes with its own row's outcome.</summary>
    private sealed class GroupCommitOperation(PostgresWorkflowStore store, List<CommitOperation> commits) : WriteOperation
    {
        private readonly HashSet<string> _committed = new(StringComparer.Ordinal);

        public override string ExecutionId => commits[0].ExecutionId;

        public override void AddCommands(NpgsqlBatch batch)
        {
            var executions = commits.Select(c => c.Commit.Execution).ToArray();
            var command = new NpgsqlBatchCommand(store.GroupCommitSql);
            var p = command.Parameters;
            p.Add(PgValues.TextArray(executions.Select(e => e.Id)));
            p.Add(PgValues.TextArray(executions.Select(e => PgValues.Name(e.Status))));
            p.Add(PgValues.IntArray(executions.Select(e => e.CurrentStepIndex)));
            p.Add(PgValues.TimeArray(executions.Select(e => (DateTimeOffset?)e.UpdatedAt)));
            p.Add(PgValues.TimeArray(executions.Select(e => e.CompletedAt)));
            p.Add(PgValues.TimeArray(executions.Select(e => e.NextRunAt)));
            p.Add(PgValues.TextArray(executions.Select(e => e.LeaseOwner)));
            p.Add(PgValues.TimeArray(executions.Select(e => e.LeaseExpiresAt)));
            p.Add(PgValues.LongArray(executions.Select(e => (long?)DueAt(e))));
            p.Add(PgValues.TextArray(executions.Select(e => e.Error)));
            p.Add(PgValues.TextArray(executions.Select(e => e.ErrorType)));
            p.Add(PgValues.TextArray(executions.Select(e => e.WaitingReason)));
            p.Add(PgValues.LongArray(commits.Select(c => (long?)(c.Commit.RevokeLease ? 1 : 0))));
            p.Add(PgValues.LongArray(commits.Select(c => c.Commit.ExpectedFencingToken)));
            p.Add(PgValues.LongArray(commits.Select(c => c.Commit.ExpectedVersion)));
            var records = commits.Select(c => (Steps: Steps(c.Commit), Attempts: Attempts(c.Commit))).ToArray();
            p.Add(PgValues.TextArray(records.Select(r => RunningOverlay.StepChanges(r.Steps))));
            p.Add(PgValues.TextArray(records.Select(r => RunningOverlay.AttemptChanges(r.Attempts))));
            var steps = records.SelectMany(r => Ended(r.Steps)).ToArray();
            var attempts = records.SelectMany(r => Ended(r.Attempts)).ToArray();
            p.Add(PgValues.TextArray(steps.Select(s => s.ExecutionId)));
            p.Add(PgValues.TextArray(attempts.Select(a => a.ExecutionId)));
            AddSteps(command, steps);
            AddAttempts(command, attempts);
            batch.BatchCommands.Add(command);
        }

        public override async Task ReadAsync(NpgsqlDataReader reader)
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                _committed.Add(PgValues.String(reader, 0));
            }

            await reader.NextResultAsync().ConfigureAwait(false);
        }

        public override void Complete()
        {
            foreach (var commit in commits)
            {
                commit.Complete(_committed.Contains(commit.ExecutionId));
            }
        }

        public override void Fail(Exception exception)
        {
            foreach (var commit in commits)
            {
                commit.Fail(exception);
            }
        }
    }

    private sealed class RenewOperation(PostgresWorkflowStore store, string executionId, long fencingToken, DateTimeOffset expiresAt) : WriteOperation<bool>
    {
        public override string ExecutionId => executionId;

        public override void AddCommands(NpgsqlBatch batch)
            => batch.BatchCommands.Add(Command(store.RenewSql, PgValues.Text(executionId), PgValues.Time(expiresAt), PgValues.Long(PgValues.ToUnix(expiresAt)), PgValues.Long(fencingToken)));

        public override async Task ReadAsync(NpgsqlDataReader reader)
        {
            Result = await reader.ReadAsync().ConfigureAwait(false);
            await reader.NextResultAsync().ConfigureAwait(false);
        }
    }
}
