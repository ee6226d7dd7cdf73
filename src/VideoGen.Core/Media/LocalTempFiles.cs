namespace VideoGen.Core.Media;

/// <summary>
/// The local temporary files every media store writes before a file is stored (downloads, renders, uploads in
/// flight): removal that never throws for a file another process holds, and the sweep of a crash's leftovers.
/// </summary>
public static class LocalTempFiles
{
    /// <summary>Removes files in <paramref name="folder"/> last written before <paramref name="olderThan"/>; returns how many.</summary>
    public static int Sweep(string folder, DateTimeOffset olderThan)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var removed = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < olderThan.UtcDateTime && TryDelete(file.FullName))
            {
                removed++;
            }
        }
        return removed;
    }

    /// <summary>Deletes <paramref name="path"/>; false when it could not be deleted now (in use, no permission).</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
