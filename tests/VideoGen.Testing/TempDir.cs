namespace VideoGen.Testing;

/// <summary>
/// A fresh directory per test (DataDir, SQLite files, media, work folders), deleted on dispose.
/// The name starts with <paramref name="prefix"/> so a leftover says which tests made it.
/// </summary>
public sealed class TempDir(string prefix = "videogen-test") : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}")).FullName;

    /// <summary>Creates (if needed) and returns the sub-directory <paramref name="name"/>.</summary>
    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (a process being killed): a leftover temp dir is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
