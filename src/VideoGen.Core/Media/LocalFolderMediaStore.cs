namespace VideoGen.Core.Media;

/// <summary>
/// Media in a local folder. Writes go to a temp file inside the same folder tree, are flushed to
/// disk and then moved into place, so a reader never sees a half-written file and a crash leaves
/// at most a temp file behind. Keys are relative paths of safe characters ("videos/abc.mp4");
/// anything that could escape the root is refused.
/// </summary>
public sealed class LocalFolderMediaStore : IMediaStore
{
    private readonly string _root;
    private readonly string _tempDir;

    public LocalFolderMediaStore(string root)
    {
        _root = Path.GetFullPath(root);
        _tempDir = Path.Combine(_root, ".tmp");
        Directory.CreateDirectory(_tempDir);
    }

    public string Root => _root;

    public async Task<long> SaveAsync(string key, Stream content, CancellationToken ct)
    {
        var target = GetPath(key);
        var temp = NewTempPath(Path.GetExtension(target));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            return Commit(temp, target);
        }
        finally
        {
            LocalTempFiles.TryDelete(temp);
        }
    }

    public async Task<long> ImportFileAsync(string key, string sourcePath, CancellationToken ct)
    {
        var target = GetPath(key);
        var source = Path.GetFullPath(sourcePath);
        if (source.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            // Same volume: a rename is atomic. The bytes reach the disk first, so a video row that
            // points at the key after a power loss never finds an empty or partial file.
            FlushToDisk(source);
            return Commit(source, target);
        }
        await using var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var size = await SaveAsync(key, stream, ct);
        stream.Close();
        LocalTempFiles.TryDelete(source);
        return size;
    }

    /// <summary>Whether the key's file exists (for tests and local tools; the interface's readers use <see cref="GetInfoAsync"/>).</summary>
    public bool Exists(string key) => File.Exists(GetPath(key));

    public Task<MediaObjectInfo?> GetInfoAsync(string key, CancellationToken ct)
    {
        var file = new FileInfo(GetPath(key));
        return Task.FromResult(file.Exists ? InfoOf(file) : null);
    }

    public Task<MediaObject?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = GetPath(key);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            // The info comes from the opened handle's file: a concurrent replace cannot mix two versions.
            var info = InfoOf(new FileInfo(path)) with { Length = stream.Length };
            return Task.FromResult<MediaObject?>(new MediaObject(stream, info));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<MediaObject?>(null);
        }
    }

    /// <summary>A folder has no URL of its own: the API serves the file.</summary>
    public Task<Uri?> GetReadUrlAsync(string key, CancellationToken ct)
    {
        MediaKeys.EnsureSafe(key);
        return Task.FromResult<Uri?>(null);
    }

    public IReadOnlyList<string> ReadUrlOrigins => [];

    public Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        var path = GetPath(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }
        File.Delete(path);
        return Task.FromResult(true);
    }

    /// <summary>Full path of a stored key inside the root; refuses keys that are unsafe or would escape it.</summary>
    public string GetPath(string key)
    {
        MediaKeys.EnsureSafe(key);
        var full = Path.GetFullPath(Path.Combine(_root, key));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Media key '{key}' escapes the media root.", nameof(key));
        }
        return full;
    }

    public string NewTempPath(string extension)
    {
        Directory.CreateDirectory(_tempDir);
        var ext = string.IsNullOrEmpty(extension) ? "" : (extension.StartsWith('.') ? extension : "." + extension);
        return Path.Combine(_tempDir, Guid.NewGuid().ToString("N") + ext);
    }

    public Task<IReadOnlyList<StoredMedia>> ListAsync(string folder, CancellationToken ct)
    {
        MediaKeys.EnsureSafe(folder);
        var dir = new DirectoryInfo(Path.Combine(_root, folder));
        if (!dir.Exists)
        {
            return Task.FromResult<IReadOnlyList<StoredMedia>>([]);
        }
        var files = new List<StoredMedia>();
        foreach (var file in dir.EnumerateFiles())
        {
            // Only names a key can have (a stray dot file or odd name is not ours to list).
            var key = folder + "/" + file.Name;
            if (file.LinkTarget is null && MediaKeys.IsSafe(key))
            {
                files.Add(new StoredMedia(key, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
            }
        }
        return Task.FromResult<IReadOnlyList<StoredMedia>>(files);
    }

    public int SweepTemp(DateTimeOffset olderThan) => LocalTempFiles.Sweep(_tempDir, olderThan);


    private static MediaObjectInfo InfoOf(FileInfo file) =>
        new(file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"");

    private static void FlushToDisk(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        file.Flush(flushToDisk: true);
    }

    private static long Commit(string temp, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(temp, target, overwrite: true);
        return new FileInfo(target).Length;
    }

}
