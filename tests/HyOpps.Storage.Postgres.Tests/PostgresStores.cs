using HyOpps.Storage.Postgres.Internal;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyOpps.Storage.Postgres.Tests;

internal static class PostgresStores
{
    public static PostgresWorkflowStore Create(string connectionString, string schema = "hyopps", TimeProvider? time = null, int maxConcurrentBatches = 2)
        => new(new PostgresStoreOptions { ConnectionString = connectionString, Schema = schema, MaxConcurrentBatches = maxConcurrentBatches }, time ?? TimeProvider.System, NullLogger.Instance);
}
