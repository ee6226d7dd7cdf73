using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Server.Options;

namespace VideoGen.Server.Housekeeping;

/// <summary>
/// Measures the free space of the volumes holding DataDir (databases, queue) and the media store,
/// at most once per <see cref="DiskOptions.CheckInterval"/>. Below <see cref="DiskOptions.MinFreeBytes"/>
/// the server takes no new work: a full disk would otherwise fail SQLite writes halfway.
/// </summary>
public sealed class DiskSpaceGuard(IOptions<DiskOptions> options, IOptions<VideoGenOptions> app, IMediaStore media, TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _lastFree = long.MaxValue;
    private DateTimeOffset _measuredAt = DateTimeOffset.MinValue;

    /// <summary>The configured threshold in bytes (0: off).</summary>
    public long MinFreeBytes => options.Value.MinFreeBytes;

    /// <summary>The smallest free space over the watched volumes, in bytes (cached for the check interval).</summary>
    public long FreeBytes()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now - _measuredAt < options.Value.CheckInterval)
            {
                return _lastFree;
            }
        }
        var free = Math.Min(Measure(app.Value.DataDirFullPath), Measure(Path.GetDirectoryName(media.NewTempPath(""))!));
        lock (_gate)
        {
            _lastFree = free;
            _measuredAt = now;
        }
        return free;
    }

    /// <summary>True when the free space is below the threshold.</summary>
    public bool IsLow() => MinFreeBytes > 0 && FreeBytes() < MinFreeBytes;

    private static long Measure(string path)
    {
        Directory.CreateDirectory(path);
        return new DriveInfo(path).AvailableFreeSpace;
    }
}
