namespace VideoGen.Server.Tests.Infrastructure;

/// <summary>A fresh directory per test (DataDir, SQLite files, media), deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "videogen-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
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
