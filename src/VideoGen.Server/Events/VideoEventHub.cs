using System.Security.Cryptography;

namespace VideoGen.Server.Events;

/// <summary>
/// The fan-out half of the event pump: every change the <see cref="VideoEventPump"/> publishes gets the next
/// position of this process's sequence, is kept in a ring of the last <see cref="RingCapacity"/> changes (for
/// <c>Last-Event-ID</c> resumes), and is handed to the streams that may see it — found by video id, by owner,
/// or as an admin's — without waiting for any of them. Publishing costs the matching streams, not all streams.
/// </summary>
public sealed class VideoEventHub
{
    /// <summary>Recent changes kept for resuming streams.</summary>
    public const int RingCapacity = 4096;

    /// <summary>Changes a stream may be behind before it is ended (and its client resumes).</summary>
    public const int StreamBuffer = 256;

    /// <summary>Videos whose latest state is kept for streams that open on them; beyond it, finished ones are forgotten first.</summary>
    public const int LatestCapacity = 100_000;

    private readonly Lock _gate = new();
    private readonly VideoChange?[] _ring = new VideoChange?[RingCapacity];
    private readonly Dictionary<string, HashSet<VideoSubscription>> _byVideo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<VideoSubscription>> _byOwner = new(StringComparer.Ordinal);
    private readonly HashSet<VideoSubscription> _seeAll = [];
    private readonly Dictionary<string, VideoChange> _latest = new(StringComparer.Ordinal);
    private long _sequence;
    private int _count;

    /// <summary>This run's id in event ids: a resume with another epoch (a restart, another process) cannot use the ring.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Open subscriptions (streams) right now.</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Ids of the videos some per-video stream watches now (the pump re-reads them as a safety net).</summary>
    public IReadOnlyList<string> WatchedVideos()
    {
        lock (_gate)
        {
            return [.. _byVideo.Keys];
        }
    }

    /// <summary>
    /// Opens a stream's inbox. With <paramref name="resumeAfter"/> from this run and still in the ring,
    /// <paramref name="replay"/> holds the matching changes published after it (possibly none), and the inbox
    /// continues exactly where the replay ends; otherwise <paramref name="replay"/> is null and the caller
    /// catches the client up from the database. Either way nothing published after this call is missed.
    /// </summary>
    public VideoSubscription Subscribe(StreamFilter filter, StreamPosition? resumeAfter, out IReadOnlyList<VideoChange>? replay) =>
        Subscribe(filter, resumeAfter, out replay, out _);

    /// <summary>
    /// <see cref="Subscribe(StreamFilter, StreamPosition?, out IReadOnlyList{VideoChange}?)"/>, and for a per-video stream the
    /// video's latest known state (<paramref name="latest"/>, null when this process has none): a stream can start from it
    /// without reading the database, and nothing after it is missed.
    /// </summary>
    public VideoSubscription Subscribe(StreamFilter filter, StreamPosition? resumeAfter, out IReadOnlyList<VideoChange>? replay, out VideoChange? latest)
    {
        var subscription = new VideoSubscription(this, filter);
        lock (_gate)
        {
            latest = filter.VideoId is { } videoId ? _latest.GetValueOrDefault(videoId) : null;
            replay = resumeAfter is { } after ? ReplayAfter(after, filter) : null;
            subscription.StartSequence = _sequence;
            Add(subscription);
        }
        return subscription;
    }

    /// <summary>Publishes one change of a video (<paramref name="json"/> null: it was deleted) and returns it with its position.</summary>
    public VideoChange Publish(string videoId, string ownerId, bool terminal, long updatedAtMs, string? json)
    {
        List<VideoSubscription>? overflowed = null;
        VideoChange change;
        lock (_gate)
        {
            _sequence++;
            change = new VideoChange(new StreamPosition(Epoch, _sequence, updatedAtMs), videoId, ownerId, terminal, json);
            _ring[_sequence % RingCapacity] = change;
            if (change.Deleted)
            {
                _latest.Remove(videoId);
            }
            else
            {
                KeepLatest(change);
            }
            Deliver(change, _byVideo.GetValueOrDefault(videoId), ref overflowed);
            Deliver(change, _byOwner.GetValueOrDefault(ownerId), ref overflowed);
            Deliver(change, _seeAll, ref overflowed);
        }
        foreach (var s in overflowed ?? [])
        {
            s.Dispose();
        }
        return change;
    }

    /// <summary>
    /// Keeps a state of a video read from the database by a stream that opened (after subscribing) when this process
    /// knew none, so the next streams on it start without a read; a state the pump published meanwhile wins.
    /// </summary>
    public void Seed(VideoChange change)
    {
        lock (_gate)
        {
            if (!_latest.ContainsKey(change.VideoId))
            {
                KeepLatest(change);
            }
        }
    }

    /// <summary>Queues a heartbeat on every open stream (an SSE comment keeps proxies and idle timeouts from closing it).</summary>
    public void Heartbeat()
    {
        lock (_gate)
        {
            foreach (var s in _byVideo.Values.SelectMany(static set => set).Concat(_byOwner.Values.SelectMany(static set => set)).Concat(_seeAll))
            {
                s.OfferHeartbeat();
            }
        }
    }

    internal void Unsubscribe(VideoSubscription subscription)
    {
        lock (_gate)
        {
            var f = subscription.Filter;
            var removed = f.VideoId is not null ? RemoveFrom(_byVideo, f.VideoId, subscription)
                : f.SeesAll ? _seeAll.Remove(subscription)
                : RemoveFrom(_byOwner, f.OwnerId, subscription);
            if (removed)
            {
                _count--;
            }
        }
    }

    private void KeepLatest(VideoChange change)
    {
        if (_latest.Count >= LatestCapacity && !_latest.ContainsKey(change.VideoId))
        {
            foreach (var finished in _latest.Values.Where(static c => c.Terminal).Select(static c => c.VideoId).ToList())
            {
                _latest.Remove(finished);
            }
            if (_latest.Count >= LatestCapacity)
            {
                _latest.Clear();
            }
        }
        _latest[change.VideoId] = change;
    }

    private void Add(VideoSubscription subscription)
    {
        var f = subscription.Filter;
        if (f.VideoId is not null)
        {
            AddTo(_byVideo, f.VideoId, subscription);
        }
        else if (f.SeesAll)
        {
            _seeAll.Add(subscription);
        }
        else
        {
            AddTo(_byOwner, f.OwnerId, subscription);
        }
        _count++;
    }

    private List<VideoChange>? ReplayAfter(StreamPosition after, StreamFilter filter)
    {
        var oldestKept = Math.Max(1, _sequence - RingCapacity + 1);
        if (!string.Equals(after.Epoch, Epoch, StringComparison.Ordinal) || after.Sequence > _sequence || after.Sequence + 1 < oldestKept)
        {
            return null;
        }
        var replay = new List<VideoChange>();
        for (var s = after.Sequence + 1; s <= _sequence; s++)
        {
            if (_ring[s % RingCapacity] is { } change && filter.Matches(change))
            {
                replay.Add(change);
            }
        }
        return replay;
    }

    private static void Deliver(VideoChange change, HashSet<VideoSubscription>? subscriptions, ref List<VideoSubscription>? overflowed)
    {
        if (subscriptions is null)
        {
            return;
        }
        foreach (var s in subscriptions)
        {
            if (!s.Offer(change))
            {
                (overflowed ??= []).Add(s);
            }
        }
    }

    private static void AddTo(Dictionary<string, HashSet<VideoSubscription>> index, string key, VideoSubscription subscription)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(subscription);
    }

    private static bool RemoveFrom(Dictionary<string, HashSet<VideoSubscription>> index, string key, VideoSubscription subscription)
    {
        if (!index.TryGetValue(key, out var list) || !list.Remove(subscription))
        {
            return false;
        }
        if (list.Count == 0)
        {
            index.Remove(key);
        }
        return true;
    }
}
