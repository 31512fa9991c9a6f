using Microsoft.Data.Sqlite;

namespace HyOpps.SampleHost.Sandbox;

/// <summary>The temporary data folder of a sandbox run, deleted when the host stops: its org ids point into simulators that start empty each run.</summary>
public sealed class OwnedDataDirectory(string path) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
