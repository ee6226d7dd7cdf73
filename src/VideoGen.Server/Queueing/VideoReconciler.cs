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
/// Keeps promise 2 and the app database's role as the truth: every unfinished video (queued, submitting, submit_unconfirmed, in_queue,
/// generating, ingesting) whose job is missing — the process died between the row insert and the enqueue, an admin
/// removed the job, Redis lost it, retention trimmed it — or whose job ended while the video did not, gets its job
/// back; the pipeline then re-attaches by the saved request id, or reports the submit's outcome unknown, exactly as
/// after a crash. Runs at start and every <see cref="QueueOptions.ReconcileInterval"/>, paging through all
/// unfinished rows oldest first with a cursor kept between passes, at most
/// <see cref="QueueOptions.ReconcileRowsPerPass"/> rows per pass. Enqueue is idempotent on the video id, so two
/// processes reconciling at once, or a reconcile racing the API, still make one job. Rows changed within the grace
/// period are left alone (the API or a worker is at them right now).
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

    /// <summary>Unfinished rows read per query.</summary>
    public const int PageSize = 500;

    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _passGate = new(1, 1);

    /// <summary>The last row the previous pass looked at; null: the next pass starts from the oldest.</summary>
    private (DateTimeOffset CreatedAt, string Id)? _cursor;

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

    /// <summary>One pass (see <see cref="ReconcilePassAsync"/>). Returns how many jobs it created.</summary>
    public async Task<int> ReconcileOnceAsync(TimeSpan grace, CancellationToken ct) =>
        (await ReconcilePassAsync(grace, ct)).Created;

    /// <summary>
    /// Looks at up to <see cref="QueueOptions.ReconcileRowsPerPass"/> unfinished rows older than
    /// <paramref name="grace"/>, continuing after the last row the previous pass looked at, and starting again from the
    /// oldest once it reached the newest. Passes of one reconciler never overlap.
    /// </summary>
    public async Task<ReconcilePass> ReconcilePassAsync(TimeSpan grace, CancellationToken ct)
    {
        await _passGate.WaitAsync(ct);
        try
        {
            var cutoff = time.GetUtcNow() - grace;
            var budget = options.Value.ReconcileRowsPerPass;
            int examined = 0, created = 0, settled = 0;
            while (examined < budget)
            {
                var size = Math.Min(PageSize, budget - examined);
                var page = await NextPageAsync(cutoff, size, ct);
                foreach (var video in page)
                {
                    switch (await ReconcileRowAsync(video, cutoff, ct))
                    {
                        case RowOutcome.JobGivenBack:
                            created++;
                            break;
                        case RowOutcome.Settled:
                            settled++;
                            break;
                    }
                }
                examined += page.Count;
                if (page.Count < size)
                {
                    _cursor = null;
                    return new ReconcilePass(examined, created, settled, CycleCompleted: true);
                }
                _cursor = (page[^1].CreatedAt, page[^1].Id);
            }
            return new ReconcilePass(examined, created, settled, CycleCompleted: false);
        }
        finally
        {
            _passGate.Release();
        }
    }

    /// <summary>The next unfinished rows after the cursor, in (CreatedAt, Id) order (index <c>ix_videos_created_at_id</c>).</summary>
    private async Task<List<Video>> NextPageAsync(DateTimeOffset cutoff, int size, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.Videos.AsNoTracking()
            .Where(v => v.Status != VideoStatus.Succeeded && v.Status != VideoStatus.Failed && v.Status != VideoStatus.Canceled)
            .Where(v => v.CreatedAt < cutoff);
        if (_cursor is var (afterCreatedAt, afterId))
        {
            query = query.Where(v => v.CreatedAt > afterCreatedAt || (v.CreatedAt == afterCreatedAt && string.Compare(v.Id, afterId) > 0));
        }
        return await query.OrderBy(v => v.CreatedAt).ThenBy(v => v.Id).Take(size).ToListAsync(ct);
    }

    private async Task<RowOutcome> ReconcileRowAsync(Video video, DateTimeOffset cutoff, CancellationToken ct)
    {
        if (video.UpdatedAt >= cutoff)
        {
            // Changed within the grace period: being worked on (e.g. a re-attached lost submit is put back in
            // progress just before its job is run again).
            return RowOutcome.Left;
        }
        var job = await jobs.Queue.GetAsync(video.Id, ct);
        switch (job?.State)
        {
            case null or JobState.Completed:
                return await GiveJobBackAsync(video.Id, job, ct) ? RowOutcome.JobGivenBack : RowOutcome.Left;
            case JobState.Failed or JobState.Canceled:
                return await SettleAsync(video.Id, job, ct) ? RowOutcome.Settled : RowOutcome.Left;
            default:
                return RowOutcome.Left;
        }
    }

    /// <summary>
    /// Enqueues the job of a video that has none, or whose job completed while the video did not finish (a run
    /// that stopped after losing a race to a run that then died). The row is read again first: the page may be
    /// older than a job that just finished it.
    /// </summary>
    private async Task<bool> GiveJobBackAsync(string id, JobInfo? job, CancellationToken ct)
    {
        Video? video;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            video = await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        }
        if (video is null || video.Status.IsTerminal())
        {
            return false;
        }
        if (job is not null && !await jobs.Queue.RemoveAsync(id, ct))
        {
            return false;
        }
        if (await jobs.EnqueueAsync(video, ct) != EnqueueOutcome.Created)
        {
            return false;
        }
        if (video.Status == VideoStatus.Queued && job is null)
        {
            logger.LogInformation("Re-enqueued video {VideoId}, which had no job", id);
        }
        else
        {
            logger.LogWarning("Video {VideoId} is {Status} but its job was {JobState}; gave it its job back (the pipeline re-attaches to its provider request, if any)", id, video.Status.ToWire(), job is null ? "missing" : job.State.ToString());
        }
        return true;
    }

    private enum RowOutcome
    {
        Left,
        JobGivenBack,
        Settled,
    }

    /// <summary>Ends the row as its job ended, unless the row changed since it was read (compare-and-set on status and request id).</summary>
    private async Task<bool> SettleAsync(string id, JobInfo job, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var video = await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, ct);
        if (video is null || video.Status.IsTerminal())
        {
            return false;
        }
        var now = time.GetUtcNow();
        var (seenStatus, seenRequest) = (video.Status, video.ProviderRequestId);
        var status = job.State == JobState.Canceled ? VideoStatus.Canceled : VideoStatus.Failed;
        var error = video.Error ?? job.Error ?? (job.State == JobState.Canceled ? "Canceled." : "The job failed.");
        var completedAt = video.CompletedAt ?? job.FinishedAt ?? now;
        var changed = await db.Videos
            .Where(v => v.Id == id && v.Status == seenStatus && v.ProviderRequestId == seenRequest)
            .ExecuteUpdateAsync(s => s
                .SetProperty(v => v.Status, status)
                .SetProperty(v => v.Error, error)
                .SetProperty(v => v.CompletedAt, completedAt)
                .SetProperty(v => v.UpdatedAt, now), ct);
        if (changed == 1)
        {
            logger.LogWarning("Video {VideoId} was {Status} in the row but its job is {State}; settled it", id, seenStatus.ToWire(), job.State);
        }
        return changed == 1;
    }
}
