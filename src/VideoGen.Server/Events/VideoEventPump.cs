using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Videos;
using VideoGen.Server.Apis;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VideoGen.Server.Events;

/// <summary>
/// The one reader of the videos queue's events in a server process. Each queue event names a video (job id =
/// video id); the pump reads the changed rows from the app database — once per change, in batches, however many
/// streams watch — and publishes those whose JSON changed to the <see cref="VideoEventHub"/>, which fans them out.
/// Every change enters the hub's ring (even with no stream open) so a stream resuming by <c>Last-Event-ID</c> misses
/// none. Rows can also change without a queue event (a cancel written just after the queue was told, another
/// process's write), so every <see cref="SafetyInterval"/> the pump re-reads the unfinished videos that had an event
/// in the last <see cref="SweepWindow"/> and those a per-video stream watches: one batched read per interval,
/// not one per stream.
/// </summary>
public sealed partial class VideoEventPump(
    VideoJobs jobs,
    IDbContextFactory<AppDbContext> dbs,
    MediaUrls urls,
    VideoEventHub hub,
    IOptions<HttpJsonOptions> json,
    TimeProvider time,
    ILogger<VideoEventPump> logger) : BackgroundService
{
    /// <summary>How often unfinished and watched videos are re-read, whatever the queue said.</summary>
    public static readonly TimeSpan SafetyInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long after its last queue event an unfinished video is still re-read each interval.</summary>
    public static readonly TimeSpan SweepWindow = TimeSpan.FromSeconds(60);

    /// <summary>How often every open stream gets a heartbeat comment.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>Most ids in one database read.</summary>
    private const int ReadBatch = 500;

    /// <summary>Last JSON published per video; beyond this many, finished videos are forgotten first.</summary>
    private const int KnownCap = 50_000;

    private readonly Channel<string> _changed = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, Known> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _unfinished = new(StringComparer.Ordinal);
    private long _rowsRead;

    /// <summary>Video rows read by the pump since start (for benchmarks: it must not grow with the number of streams).</summary>
    public long RowsRead => Interlocked.Read(ref _rowsRead);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ReadQueueAsync(stoppingToken), PublishAsync(stoppingToken), HeartbeatAsync(stoppingToken));

    /// <summary>Follows the queue's events from now on; after a failure it resumes after the last event it saw.</summary>
    private async Task ReadQueueAsync(CancellationToken ct)
    {
        await Task.Yield();
        string? position = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in jobs.Queue.ReadEventsAsync(position, ct))
                {
                    position = e.Position ?? position;
                    _changed.Writer.TryWrite(e.JobId);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogQueueReadFailed(logger, ex);
                await DelayAsync(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>Reads the changed rows (and, each interval, the unfinished and watched ones) and publishes what changed.</summary>
    private async Task PublishAsync(CancellationToken ct)
    {
        await Task.Yield();
        var nextSweep = time.GetUtcNow() + SafetyInterval;
        var batch = new HashSet<string>(StringComparer.Ordinal);
        var fromEvents = new HashSet<string>(StringComparer.Ordinal);
        Task<bool>? changed = null;
        while (!ct.IsCancellationRequested)
        {
            var wait = nextSweep - time.GetUtcNow();
            if (wait > TimeSpan.Zero && !_changed.Reader.TryPeek(out _))
            {
                // One wait for a change at a time: it outlives a sweep that came first, instead of piling up.
                changed = changed is { IsCompleted: false } ? changed : _changed.Reader.WaitToReadAsync(ct).AsTask();
                using var sweep = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var due = Task.Delay(wait, time, sweep.Token);
                await Task.WhenAny(changed, due).ConfigureAwait(false);
                await sweep.CancelAsync();
                if (ct.IsCancellationRequested)
                {
                    return;
                }
            }
            while (batch.Count < ReadBatch && _changed.Reader.TryRead(out var id))
            {
                batch.Add(id);
            }
            fromEvents.UnionWith(batch);
            if (time.GetUtcNow() >= nextSweep)
            {
                var now = time.GetUtcNow();
                nextSweep = now + SafetyInterval;
                foreach (var quiet in _unfinished.Where(u => now - u.Value > SweepWindow).Select(u => u.Key).ToList())
                {
                    _unfinished.Remove(quiet);
                }
                batch.UnionWith(_unfinished.Keys);
                batch.UnionWith(hub.WatchedVideos());
            }
            if (batch.Count == 0)
            {
                continue;
            }
            try
            {
                foreach (var chunk in batch.Chunk(ReadBatch))
                {
                    await RefreshAsync(chunk, fromEvents, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The next interval reads the unfinished videos again; a stream misses nothing lasting.
                LogRowReadFailed(logger, ex);
            }
            batch.Clear();
            fromEvents.Clear();
        }
    }

    private async Task RefreshAsync(string[] ids, HashSet<string> fromEvents, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        List<Video> rows;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            rows = await db.Videos.AsNoTracking().Where(v => ids.Contains(v.Id)).ToListAsync(ct);
        }
        // Published in the order the changes happened.
        rows.Sort(static (x, y) => x.UpdatedAt != y.UpdatedAt ? x.UpdatedAt.CompareTo(y.UpdatedAt) : string.CompareOrdinal(x.Id, y.Id));
        Interlocked.Add(ref _rowsRead, rows.Count);
        var options = json.Value.SerializerOptions;
        foreach (var video in rows)
        {
            var terminal = video.Status.IsTerminal();
            if (terminal)
            {
                _unfinished.Remove(video.Id);
            }
            else if (fromEvents.Contains(video.Id))
            {
                _unfinished[video.Id] = at;
            }
            var text = JsonSerializer.Serialize(VideoDto.From(video, urls), options);
            if (_known.TryGetValue(video.Id, out var known) && known.Json == text)
            {
                continue;
            }
            var owner = video.UserId ?? "";
            Remember(video.Id, new Known(owner, text, terminal));
            hub.Publish(video.Id, owner, terminal, video.UpdatedAt.ToUnixTimeMilliseconds(), text);
        }
        if (rows.Count == ids.Length)
        {
            return;
        }
        var found = rows.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in ids.Where(id => !found.Contains(id)))
        {
            _unfinished.Remove(gone);
            var owner = _known.Remove(gone, out var last) ? last.OwnerId : "";
            hub.Publish(gone, owner, terminal: true, time.GetUtcNow().ToUnixTimeMilliseconds(), json: null);
        }
    }

    private void Remember(string id, Known known)
    {
        if (_known.Count >= KnownCap && !_known.ContainsKey(id))
        {
            foreach (var finished in _known.Where(k => k.Value.Terminal).Select(k => k.Key).ToList())
            {
                _known.Remove(finished);
            }
            if (_known.Count >= KnownCap)
            {
                _known.Clear();
            }
        }
        _known[id] = known;
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                hub.Heartbeat();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private sealed record Known(string OwnerId, string Json, bool Terminal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the queue's events failed; live streams fall back to the periodic re-read until it resumes.")]
    private static partial void LogQueueReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading changed videos for live streams failed; retried at the next interval.")]
    private static partial void LogRowReadFailed(ILogger logger, Exception exception);
}
