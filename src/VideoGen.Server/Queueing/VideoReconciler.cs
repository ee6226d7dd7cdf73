using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Options;

namespace VideoGen.Server.Queueing;

/// <summary>
/// Keeps promise 2: a <c>queued</c> video whose job is missing (the process died between the
/// row insert and the enqueue, or the queue was down) gets its job. Runs at start and every
/// <see cref="QueueOptions.ReconcileInterval"/>. Enqueue is idempotent on the video id, so two
/// processes reconciling at once, or a reconcile racing the API, still make one job.
/// Also settles rows left unfinished by a job that ended failed or canceled in the queue
/// (e.g. a handler that crashed on its last attempt before writing the row), and sends the
/// provider cancels that canceled rows still owe (<c>VideoReconciler.ProviderCancels.cs</c>).
/// </summary>
public sealed partial class VideoReconciler(
    IDbContextFactory<AppDbContext> dbs,
    VideoJobs jobs,
    VideoProviderRegistry providers,
    TimeProvider time,
    IOptions<QueueOptions> options,
    IOptions<PipelineOptions> pipelineOptions,
    ILogger<VideoReconciler> logger) : BackgroundService
{
    /// <summary>Rows younger than this are left alone: the API is probably enqueueing them right now.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public const int BatchSize = 500;

    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes after the pass run at start (successful or not).</summary>
    public Task FirstPass => _firstPass.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        do
        {
            try
            {
                await ReconcileOnceAsync(Grace, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Reconcile pass failed; retrying in {Interval}", options.Value.ReconcileInterval);
            }
            try
            {
                // After the pass above, which may have settled rows to canceled that owe one.
                await SendOwedProviderCancelsAsync(Grace, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Provider cancel pass failed; retrying in {Interval}", options.Value.ReconcileInterval);
            }
            _firstPass.TrySetResult();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass. Returns how many jobs it created.</summary>
    public async Task<int> ReconcileOnceAsync(TimeSpan grace, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - grace;
        List<Video> unfinished;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            unfinished = await db.Videos
                .Where(v => v.Status != VideoStatus.Succeeded && v.Status != VideoStatus.Failed && v.Status != VideoStatus.Canceled)
                .Where(v => v.CreatedAt < cutoff)
                .OrderBy(v => v.CreatedAt)
                .Take(BatchSize)
                .ToListAsync(ct);
        }

        var created = 0;
        foreach (var video in unfinished)
        {
            var job = await jobs.Queue.GetAsync(video.Id, ct);
            if (job is null)
            {
                if (video.Status == VideoStatus.Queued && await jobs.EnqueueAsync(video, ct) == EnqueueOutcome.Created)
                {
                    created++;
                    logger.LogInformation("Re-enqueued video {VideoId}, which had no job", video.Id);
                }
            }
            // A row changed within the grace period is being worked on: a re-attached lost submit is put back
            // in progress just before its failed job is retried.
            else if ((job.State is JobState.Failed or JobState.Canceled) && video.UpdatedAt < cutoff)
            {
                await SettleAsync(video.Id, job, ct);
            }
        }
        return created;
    }

    private async Task SettleAsync(string id, JobInfo job, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var video = await db.Videos.FirstOrDefaultAsync(v => v.Id == id, ct);
        if (video is null || video.Status.IsTerminal())
        {
            return;
        }
        var now = time.GetUtcNow();
        video.Status = job.State == JobState.Canceled ? VideoStatus.Canceled : VideoStatus.Failed;
        video.Error ??= job.Error ?? (job.State == JobState.Canceled ? "Canceled." : "The job failed.");
        video.CompletedAt ??= job.FinishedAt ?? now;
        video.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        logger.LogWarning("Video {VideoId} was {Status} in the row but its job is {State}; settled it", id, video.Status, job.State);
    }
}
