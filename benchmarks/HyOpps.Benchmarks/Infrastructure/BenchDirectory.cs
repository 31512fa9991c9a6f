namespace HyOpps.Benchmarks.Infrastructure;

/// <summary>A folder of database files for one run, deleted at the end unless kept.</summary>
internal sealed class BenchDirectory : IDisposable
{
    private readonly bool _keep;

    public BenchDirectory(string? root, bool keep)
    {
        _keep = keep;
        Path = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), "hyopps-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string NewDatabase(string name) => System.IO.Path.Combine(Path, $"{name}-{Guid.NewGuid().ToString("N")[..6]}.db");

    public static long DatabaseBytes(string file)
        => new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_keep)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
