namespace VideoGen.Core.Media;

/// <summary>Our own storage for generated files and posters. Keys are relative paths like "videos/{id}.mp4".</summary>
public interface IMediaStore
{
    /// <summary>Writes <paramref name="content"/> under <paramref name="key"/> atomically (temp file, then move).</summary>
    Task<long> SaveAsync(string key, Stream content, CancellationToken ct);

    /// <summary>Moves a finished local file under <paramref name="key"/>, flushed to disk first.</summary>
    Task<long> ImportFileAsync(string key, string sourcePath, CancellationToken ct);

    bool Exists(string key);

    /// <summary>Full path of a stored key (local folder store), for serving with range support and for ffprobe.</summary>
    string GetPath(string key);

    /// <summary>A fresh temp path inside the store's volume (so the final move is atomic).</summary>
    string NewTempPath(string extension);

    /// <summary>Removes <paramref name="key"/>; true when a file was there. Deleting a missing key is not an error.</summary>
    bool Delete(string key);

    /// <summary>The files directly in <paramref name="folder"/> ("uploads"), with size and last write time.</summary>
    IReadOnlyList<StoredMedia> List(string folder);

    /// <summary>Removes temp files last written before <paramref name="olderThan"/> (left by a crash); returns how many.</summary>
    int SweepTemp(DateTimeOffset olderThan);
}

/// <summary>One stored file: its key, size and when it was last written.</summary>
public sealed record StoredMedia(string Key, long SizeBytes, DateTimeOffset LastWrite);
