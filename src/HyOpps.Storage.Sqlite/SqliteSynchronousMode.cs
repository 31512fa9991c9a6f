namespace HyOpps.Storage.Sqlite;

/// <summary>The SQLite <c>synchronous</c> setting of the writer connection.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>Syncs at the most critical moments; in WAL mode durable across process crashes, not always across power loss.</summary>
    Normal,

    /// <summary>Syncs every commit: durable across power loss.</summary>
    Full,
}
