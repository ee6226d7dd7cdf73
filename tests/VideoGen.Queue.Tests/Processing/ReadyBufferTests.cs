using VideoGen.Queue.Processing;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>Ready jobs leave in claim order, each taken exactly once; taken entries no longer count as waiting.</summary>
public sealed class ReadyBufferTests
{
    [Fact]
    public void TryTakeNext_TakesJobsInTheOrderTheyWereAdded()
    {
        var buffer = new ReadyBuffer();
        buffer.Add(Run("a"));
        buffer.Add(Run("b"));

        Assert.True(buffer.TryTakeNext(out var first));
        Assert.True(buffer.TryTakeNext(out var second));
        Assert.False(buffer.TryTakeNext(out _));
        Assert.Equal(["a", "b"], [first.Job.Id, second.Job.Id]);
        Assert.True(first.IsStarted);
    }

    [Fact]
    public void TryTakeNext_SkipsEntriesSomeoneElseTook()
    {
        var buffer = new ReadyBuffer();
        var settled = Run("settled");
        buffer.Add(settled);
        buffer.Add(Run("next"));

        Assert.True(buffer.TryTake(settled));
        Assert.True(buffer.TryTakeNext(out var run));

        Assert.Equal("next", run.Job.Id);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryTake_OnlyTheFirstTakerWins()
    {
        var buffer = new ReadyBuffer();
        var run = Run("a");
        buffer.Add(run);

        Assert.True(buffer.TryTake(run));
        Assert.False(buffer.TryTake(run));
        Assert.False(buffer.TryTakeNext(out _));
    }

    [Fact]
    public void HasWaiting_IsFalseOnceEveryEntryIsTaken_ThoughEntriesRemain()
    {
        var buffer = new ReadyBuffer();
        var run = Run("a");
        buffer.Add(run);
        Assert.True(buffer.HasWaiting);

        buffer.TryTake(run);

        Assert.False(buffer.HasWaiting);
        Assert.False(buffer.IsEmpty);
        Assert.True(buffer.TryPeekOldest(out var oldest));
        Assert.Same(run, oldest);
    }

    private static RunningJob Run(string id) =>
        new(new ClaimedJob { Id = id, LeaseToken = "token-" + id, LeaseExpiresAt = WorkerParts.T0.AddSeconds(30) });
}
