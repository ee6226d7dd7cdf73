using VideoGen.Server.Events;

namespace VideoGen.Server.Tests.Events;

/// <summary>
/// The pump's fan-out: each change reaches exactly the streams that may see it (the video's own streams, its owner's
/// list streams, admins' list streams), in order; a resume from an id of this run replays exactly what was missed; an
/// id the ring cannot serve asks the caller to catch up from the database; a stream that falls behind is ended.
/// </summary>
public sealed class VideoEventHubTests
{
    [Fact]
    public void Publish_ReachesTheVideosStreams_TheOwnersListStreams_AndAdmins_Only()
    {
        var hub = new VideoEventHub();
        using var videoA = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), null, out _);
        using var videoB = hub.Subscribe(StreamFilter.OneVideo("vb", "bob"), null, out _);
        using var alice = hub.Subscribe(StreamFilter.AllVisible("alice", isAdmin: false), null, out _);
        using var bob = hub.Subscribe(StreamFilter.AllVisible("bob", isAdmin: false), null, out _);
        using var admin = hub.Subscribe(StreamFilter.AllVisible("root", isAdmin: true), null, out _);

        hub.Publish("va", "alice", terminal: false, 1, """{"id":"va"}""");
        hub.Publish("vb", "bob", terminal: false, 2, """{"id":"vb"}""");
        hub.Publish("va", "alice", terminal: true, 3, """{"id":"va","n":2}""");

        Assert.Equal(["va", "va"], Drain(videoA));
        Assert.Equal(["vb"], Drain(videoB));
        Assert.Equal(["va", "va"], Drain(alice));
        Assert.Equal(["vb"], Drain(bob));
        Assert.Equal(["va", "vb", "va"], Drain(admin));
        Assert.Equal(5, hub.Subscribers);
    }

    [Fact]
    public void Resume_FromAnIdOfThisRun_ReplaysExactlyTheMatchingChangesAfterIt()
    {
        var hub = new VideoEventHub();
        var first = hub.Publish("va", "alice", false, 1, "1");
        hub.Publish("vb", "bob", false, 2, "2");
        hub.Publish("va", "alice", false, 3, "3");
        hub.Publish("vc", "alice", false, 4, "4");

        using var resumed = hub.Subscribe(StreamFilter.AllVisible("alice", isAdmin: false), first.Position, out var replay);
        hub.Publish("va", "alice", true, 5, "5");

        Assert.NotNull(replay);
        Assert.Equal(["3", "4"], replay.Select(c => c.Json));
        Assert.Equal(["5"], Drain(resumed, c => c.Json!));
    }

    [Fact]
    public void Resume_FromTheNewestId_ReplaysNothing_AndMissesNothingAfter()
    {
        var hub = new VideoEventHub();
        var last = hub.Publish("va", "alice", false, 1, "1");

        using var resumed = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), last.Position, out var replay);
        hub.Publish("va", "alice", false, 2, "2");

        Assert.NotNull(replay);
        Assert.Empty(replay);
        Assert.Equal(["2"], Drain(resumed, c => c.Json!));
    }

    [Fact]
    public void Resume_FromAnotherRunOrBeyondTheRing_AsksForACatchUp()
    {
        var hub = new VideoEventHub();
        var old = hub.Publish("va", "alice", false, 1, "1");
        // One more than the ring keeps: the change right after the old id is gone.
        for (var i = 0; i <= VideoEventHub.RingCapacity; i++)
        {
            hub.Publish("vb", "bob", false, 2, "x");
        }

        using var otherRun = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), new StreamPosition("0badf00d", 1, 1), out var replayOtherRun);
        using var beyond = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), old.Position, out var replayBeyond);
        using var future = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), old.Position with { Sequence = 1_000_000 }, out var replayFuture);

        Assert.Null(replayOtherRun);
        Assert.Null(replayBeyond);
        Assert.Null(replayFuture);
        Assert.Equal(VideoEventHub.RingCapacity + 2, beyond.StartSequence);
    }

    [Fact]
    public void Resume_FromTheOldestIdTheRingStillCovers_ReplaysEverythingAfterIt()
    {
        var hub = new VideoEventHub();
        var old = hub.Publish("va", "alice", false, 1, "first");
        for (var i = 0; i < VideoEventHub.RingCapacity; i++)
        {
            hub.Publish("va", "alice", false, 2, "later");
        }

        using var resumed = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), old.Position, out var replay);

        Assert.NotNull(replay);
        Assert.Equal(VideoEventHub.RingCapacity, replay.Count);
    }

    [Fact]
    public void Subscribe_ToAVideo_GivesItsLatestState_PublishedOrSeeded_AndPublishedWinsOverSeed()
    {
        var hub = new VideoEventHub();
        hub.Publish("va", "alice", false, 1, "old");
        var newest = hub.Publish("va", "alice", false, 2, "new");
        hub.Seed(newest with { Json = "stale seed" });
        hub.Seed(new VideoChange(new StreamPosition(hub.Epoch, 2, 3), "vb", "bob", false, "seeded"));
        hub.Publish("vc", "carol", false, 1, "c");
        hub.Publish("vc", "carol", true, 2, json: null);

        using var a = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), null, out _, out var latestA);
        using var b = hub.Subscribe(StreamFilter.OneVideo("vb", "bob"), null, out _, out var latestB);
        using var c = hub.Subscribe(StreamFilter.OneVideo("vc", "carol"), null, out _, out var latestC);
        using var list = hub.Subscribe(StreamFilter.AllVisible("alice", isAdmin: false), null, out _, out var latestList);

        Assert.Equal("new", latestA?.Json);
        Assert.Equal("seeded", latestB?.Json);
        Assert.Null(latestC);
        Assert.Null(latestList);
    }

    [Fact]
    public void StreamThatFallsBehind_IsEnded_AndOthersStillReceive()
    {
        var hub = new VideoEventHub();
        using var slow = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), null, out _);
        using var fast = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), null, out _);

        for (var i = 0; i <= VideoEventHub.StreamBuffer; i++)
        {
            hub.Publish("va", "alice", false, i, "x");
            Assert.True(fast.Items.TryRead(out _));
        }

        Assert.True(slow.Overflowed);
        Assert.Equal(VideoEventHub.StreamBuffer, Drain(slow).Count);
        Assert.True(slow.Items.Completion.IsCompleted, "the slow stream's inbox is closed once drained");
        Assert.Equal(1, hub.Subscribers);
    }

    [Fact]
    public void Heartbeat_ReachesEveryStream_AsANullItem_AndDisposeUnsubscribes()
    {
        var hub = new VideoEventHub();
        var one = hub.Subscribe(StreamFilter.OneVideo("va", "alice"), null, out _);
        using var list = hub.Subscribe(StreamFilter.AllVisible("alice", isAdmin: false), null, out _);
        using var admin = hub.Subscribe(StreamFilter.AllVisible("root", isAdmin: true), null, out _);

        hub.Heartbeat();
        one.Dispose();
        one.Dispose();

        Assert.True(one.Items.TryRead(out var a) && a is null);
        Assert.True(list.Items.TryRead(out var b) && b is null);
        Assert.True(admin.Items.TryRead(out var c) && c is null);
        Assert.Equal(2, hub.Subscribers);
        Assert.Empty(hub.WatchedVideos());
    }

    [Theory]
    [InlineData("0badf00d-12-1700000000000", true)]
    [InlineData("0BADF00D-12-1700000000000", false)]
    [InlineData("0badf00d-12", false)]
    [InlineData("0badf00d--12-1", false)]
    [InlineData("0badf00d-x-1", false)]
    [InlineData("", false)]
    public void StreamPosition_ReadsOnlyIdsThisServerWrites(string text, bool valid)
    {
        Assert.Equal(valid, StreamPosition.TryParse(text, out var position));
        if (valid)
        {
            Assert.Equal(text, position!.Value.ToString());
        }
    }

    private static List<string> Drain(VideoSubscription subscription) => Drain(subscription, c => c.VideoId);

    private static List<string> Drain(VideoSubscription subscription, Func<VideoChange, string> select)
    {
        var items = new List<string>();
        while (subscription.Items.TryRead(out var item))
        {
            if (item is not null)
            {
                items.Add(select(item));
            }
        }
        return items;
    }
}
