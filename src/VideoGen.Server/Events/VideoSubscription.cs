using System.Threading.Channels;

namespace VideoGen.Server.Events;

/// <summary>
/// One open stream's inbox at the <see cref="VideoEventHub"/>: the changes it may see, in order, and
/// heartbeats (null items). A stream that falls <see cref="VideoEventHub.StreamBuffer"/> changes behind is
/// ended (its inbox completes, <see cref="Overflowed"/> set) rather than silently skipping changes: the
/// client reconnects with <c>Last-Event-ID</c> and is replayed what it missed. Disposing it unsubscribes.
/// </summary>
public sealed class VideoSubscription : IDisposable
{
    private readonly Channel<VideoChange?> _inbox = Channel.CreateBounded<VideoChange?>(
        new BoundedChannelOptions(VideoEventHub.StreamBuffer) { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });

    private VideoEventHub? _hub;

    internal VideoSubscription(VideoEventHub hub, StreamFilter filter)
    {
        _hub = hub;
        Filter = filter;
    }

    public StreamFilter Filter { get; }

    /// <summary>The hub's last position when this subscription opened: a catch-up read after it is at least that new.</summary>
    public long StartSequence { get; internal set; }

    /// <summary>Changes in publication order; a null item is a heartbeat. Completes when the stream fell too far behind.</summary>
    public ChannelReader<VideoChange?> Items => _inbox.Reader;

    /// <summary>Whether the inbox was closed because the stream fell too far behind.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Hands a change to the stream without waiting; false (and the inbox closed) when it is full.</summary>
    internal bool Offer(VideoChange change)
    {
        if (_inbox.Writer.TryWrite(change))
        {
            return true;
        }
        Overflowed = true;
        _inbox.Writer.TryComplete();
        return false;
    }

    /// <summary>A heartbeat is only a keep-alive: a full inbox already has something to write.</summary>
    internal void OfferHeartbeat() => _inbox.Writer.TryWrite(null);

    public void Dispose()
    {
        Interlocked.Exchange(ref _hub, null)?.Unsubscribe(this);
        _inbox.Writer.TryComplete();
    }
}
