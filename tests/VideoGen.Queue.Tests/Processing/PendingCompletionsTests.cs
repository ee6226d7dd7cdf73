using VideoGen.Queue.Processing;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>Completions wait in order, leave in bounded batches, and a failed batch comes back whole.</summary>
public sealed class PendingCompletionsTests
{
    [Fact]
    public void Add_MarksTheJobAwaitingItsCompletionFlush_WithItsLeaseAndResult()
    {
        var pending = new PendingCompletions(maxBatch: 10);
        var run = Run("a");

        pending.Add(run, "done");

        var batch = new List<PendingCompletion>();
        pending.DrainInto(batch);
        Assert.True(run.AwaitingCompletionFlush);
        Assert.Equal(new JobCompletion("a", "token-a", "done"), Assert.Single(batch).Completion);
    }

    [Fact]
    public void DrainInto_FillsTheBatchUpToMaxBatch_InOrder()
    {
        var pending = new PendingCompletions(maxBatch: 2);
        foreach (var id in new[] { "a", "b", "c" })
        {
            pending.Add(Run(id), null);
        }

        var batch = new List<PendingCompletion>();
        pending.DrainInto(batch);
        Assert.Equal(["a", "b"], batch.Select(c => c.Completion.JobId));

        batch.RemoveAt(0);
        pending.DrainInto(batch);
        Assert.Equal(["b", "c"], batch.Select(c => c.Completion.JobId));
        Assert.True(pending.IsEmpty);
    }

    [Fact]
    public void Return_PutsAFailedBatchBackForTheNextCall_AndEmptiesIt()
    {
        var pending = new PendingCompletions(maxBatch: 10);
        pending.Add(Run("a"), null);
        var batch = new List<PendingCompletion>();
        pending.DrainInto(batch);

        pending.Return(batch);

        Assert.Empty(batch);
        pending.DrainInto(batch);
        Assert.Equal("a", Assert.Single(batch).Completion.JobId);
    }

    private static RunningJob Run(string id) =>
        new(new ClaimedJob { Id = id, LeaseToken = "token-" + id, LeaseExpiresAt = WorkerParts.T0.AddSeconds(30) });
}
