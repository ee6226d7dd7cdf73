namespace VideoGen.Core.Media;

/// <summary>
/// Our own storage for generated files, posters and uploads: a local folder
/// (<see cref="LocalFolderMediaStore"/>) or an S3-compatible object store shared by every host.
/// Keys are relative paths like "videos/{id}.mp4" (<see cref="MediaKeys.EnsureSafe"/>). Nothing else
/// touches the media files: readers open them here, writers hand a stream or a finished local temp
/// file (from <see cref="NewTempPath"/>) to the store.
/// </summary>
public interface IMediaStore
{
    /// <summary>Writes <paramref name="content"/> under <paramref name="key"/> so a reader never sees a partial object; returns its size.</summary>
    Task<long> SaveAsync(string key, Stream content, CancellationToken ct);

    /// <summary>Stores a finished local file under <paramref name="key"/> and removes the local file; returns the stored size.</summary>
    Task<long> ImportFileAsync(string key, string sourcePath, CancellationToken ct);

    /// <summary>Size, modification time and entity tag of a stored key; null when there is none.</summary>
    Task<MediaObjectInfo?> GetInfoAsync(string key, CancellationToken ct);

    /// <summary>
    /// Opens a stored key for reading; null when there is none. The stream is seekable and knows its
    /// length (a range request seeks, and only the bytes read from there are fetched).
    /// </summary>
    Task<MediaObject?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>
    /// A short-lived URL a browser can fetch the key from directly (range requests included), or
    /// null when the store is read through <see cref="OpenReadAsync"/> (local folder, or an object
    /// store configured to stream). Does not check that the key exists.
    /// </summary>
    Task<Uri?> GetReadUrlAsync(string key, CancellationToken ct);

    /// <summary>
    /// The origins (<c>scheme://host[:port]</c>) the URLs of <see cref="GetReadUrlAsync"/> point to, so the
    /// page's Content-Security-Policy lets the browser load media from them; empty when there are none.
    /// </summary>
    IReadOnlyList<string> ReadUrlOrigins { get; }

    /// <summary>Removes a stored key; true when something was removed. Deleting a missing key is not an error (false).</summary>
    Task<bool> DeleteAsync(string key, CancellationToken ct);

    /// <summary>A fresh path for a local temporary file (on the same volume as the store when it is a folder, so the final move is atomic).</summary>
    string NewTempPath(string extension);

    /// <summary>The objects directly in <paramref name="folder"/> ("uploads"), with size and last write time.</summary>
    Task<IReadOnlyList<StoredMedia>> ListAsync(string folder, CancellationToken ct);

    /// <summary>Removes local temp files (from <see cref="NewTempPath"/>) last written before <paramref name="olderThan"/> (left by a crash); returns how many.</summary>
    int SweepTemp(DateTimeOffset olderThan);
}

/// <summary>One stored file: its key, size and when it was last written.</summary>
public sealed record StoredMedia(string Key, long SizeBytes, DateTimeOffset LastWrite);

/// <summary>What a stored key is: its size in bytes, last write time and a strong entity tag (quoted).</summary>
public sealed record MediaObjectInfo(long Length, DateTimeOffset LastModified, string ETag);

/// <summary>An opened stored key: a seekable stream of its bytes and what it is. Dispose it.</summary>
public sealed class MediaObject(Stream content, MediaObjectInfo info) : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content;

    public MediaObjectInfo Info { get; } = info;

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}

/// <summary>Store-independent helpers over <see cref="IMediaStore"/>.</summary>
public static class MediaStoreExtensions
{
    /// <summary>Whether <paramref name="key"/> is stored.</summary>
    public static async Task<bool> ExistsAsync(this IMediaStore store, string key, CancellationToken ct) =>
        await store.GetInfoAsync(key, ct).ConfigureAwait(false) is not null;
}
