using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Models;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Options;

namespace VideoGen.Server.Housekeeping;

/// <summary>
/// Keeps the media store from growing without bound. Once at start and then every
/// <see cref="MediaOptions.SweepInterval"/>: deletes temp files a crash left behind (older than
/// <see cref="MediaOptions.TempFileMaxAge"/>), uploads no video references once older than
/// <see cref="UploadsOptions.UnreferencedRetention"/>, and — when <see cref="MediaOptions.VideoRetention"/>
/// is set — finished videos (files and row) that finished longer ago than that. Every deletion is
/// idempotent, so several processes sweeping one store do no harm.
/// </summary>
public sealed class MediaSweeper(
    IServiceScopeFactory scopes,
    IMediaStore media,
    VideoDeletion deletion,
    IOptions<MediaOptions> mediaOptions,
    IOptions<UploadsOptions> uploadOptions,
    TimeProvider time,
    ILogger<MediaSweeper> logger) : BackgroundService
{
    private const int VideoBatch = 100;

    private readonly TaskCompletionSource _firstSweep = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the start-up sweep has finished (successfully or not).</summary>
    public Task FirstSweep => _firstSweep.Task;

    /// <summary>What one sweep removed.</summary>
    public sealed record SweepResult(int TempFiles, int Uploads, int Videos);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Media sweep failed; trying again in {Interval}", mediaOptions.Value.SweepInterval);
            }
            _firstSweep.TrySetResult();
            try
            {
                await Task.Delay(mediaOptions.Value.SweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One sweep of temp files, unreferenced uploads and expired videos.</summary>
    public async Task<SweepResult> SweepOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var temp = media.SweepTemp(now - mediaOptions.Value.TempFileMaxAge);
        var uploads = await SweepUploadsAsync(now - uploadOptions.Value.UnreferencedRetention, ct);
        var videos = mediaOptions.Value.VideoRetention is { } keep ? await SweepVideosAsync(now - keep, ct) : 0;
        if (temp + uploads + videos > 0)
        {
            logger.LogInformation("Media sweep removed {TempFiles} temp files, {Uploads} unreferenced uploads, {Videos} expired videos", temp, uploads, videos);
        }
        return new SweepResult(temp, uploads, videos);
    }

    private async Task<int> SweepUploadsAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var removed = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var upload in (await media.ListAsync(OwnerUploadUsage.UploadsFolder, ct)).Where(u => u.LastWrite < cutoff))
        {
            // Relative (/media/uploads/…) or absolute under PublicBaseUrl: both end with this.
            var suffix = UploadedImageUrl.PathPrefix + upload.Key["uploads/".Length..];
            if (!await db.Videos.AnyAsync(v => v.ImageUrl != null && v.ImageUrl.EndsWith(suffix), ct) && await media.DeleteAsync(upload.Key, ct))
            {
                removed++;
            }
        }
        return removed;
    }

    private async Task<int> SweepVideosAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var removed = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var expired = await db.Videos
                .Where(v => (v.Status == VideoStatus.Succeeded || v.Status == VideoStatus.Failed || v.Status == VideoStatus.Canceled)
                    && v.CompletedAt != null && v.CompletedAt < cutoff)
                .OrderBy(v => v.CompletedAt)
                .Take(VideoBatch)
                .ToListAsync(ct);
            foreach (var video in expired)
            {
                await deletion.DeleteAsync(db, video, ct);
                removed++;
            }
            if (expired.Count < VideoBatch)
            {
                return removed;
            }
        }
    }
}
