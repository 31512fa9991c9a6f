namespace HyOpps.TestUtilities;

/// <summary>A unique SQLite database file for one test, deleted with its WAL files on dispose.</summary>
public sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hyopps-tests");
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, $"{Guid.NewGuid():N}.db");
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            try
            {
                File.Delete(Path + suffix);
            }
            catch (IOException)
            {
            }
        }
    }
}
