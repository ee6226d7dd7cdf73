using Microsoft.Extensions.Logging;

namespace VideoGen.Core.Providers.Local;

public sealed partial class LocalPreviewProvider
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);
    private long _lastPruneTicks = long.MinValue;

    /// <summary>
    /// Deletes finished (done, failed or canceled) request directories whose terminal marker is older
    /// than <see cref="LocalProviderOptions.Retention"/>. Unfinished requests are never pruned.
    /// Returns how many were removed.
    /// </summary>
    public int PruneExpired()
    {
        var now = _time.GetUtcNow();
        Interlocked.Exchange(ref _lastPruneTicks, now.UtcTicks);
        var removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(WorkDir))
        {
            var id = Path.GetFileName(dir);
            if (!LocalRequestFiles.IsValidRequestId(id) || _jobs.ContainsKey(id))
            {
                continue;
            }
            var files = new LocalRequestFiles(WorkDir, id);
            var marker = new[] { files.DoneMarker, files.FailedJson, files.CanceledMarker }.FirstOrDefault(File.Exists);
            if (marker is null || now - File.GetLastWriteTimeUtc(marker) < _options.Retention)
            {
                continue;
            }
            try
            {
                lock (_gate)
                {
                    Directory.Delete(dir, recursive: true);
                }
                removed++;
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Could not prune local request {RequestId}", id);
            }
        }
        return removed;
    }

    private void PruneOccasionally()
    {
        var last = Interlocked.Read(ref _lastPruneTicks);
        if (last != long.MinValue && _time.GetUtcNow().UtcTicks - last < PruneEvery.Ticks)
        {
            return;
        }
        try
        {
            PruneExpired();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Pruning the local provider work dir failed");
        }
    }
}
