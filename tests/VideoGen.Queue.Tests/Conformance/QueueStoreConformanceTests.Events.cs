using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Conformance;

public abstract partial class QueueStoreConformanceTests
{
    [Fact]
    public async Task Events_AreDeliveredForEveryStateChangeAndProgress()
    {
        var store = await NewStoreAsync();
        await using var events = await EventCollector.StartAsync(store, T0);

        await store.EnqueueAsync(Job("ok"), T0, Ct);
        var ok = await ClaimOneAsync(store, T0);
        await store.ReportProgressAsync(new LeaseRef("ok", ok.LeaseToken), "{\"pct\":50}", T0, Ct);
        await store.CompleteAsync([new JobCompletion("ok", ok.LeaseToken, "done")], T0, Ct);

        await store.EnqueueAsync(Job("bad", maxAttempts: 2), T0, Ct);
        var bad = await ClaimOneAsync(store, T0);
        await store.FailAsync(new JobFailure("bad", bad.LeaseToken, "transient", Retryable: true, T0), T0, Ct);
        var bad2 = await ClaimOneAsync(store, T0);
        await store.FailAsync(new JobFailure("bad", bad2.LeaseToken, "again", Retryable: true, T0), T0, Ct);

        await store.EnqueueAsync(Job("later", runAt: T0.AddHours(1)), T0, Ct);
        await store.CancelAsync("later", "user asked", T0, Ct);

        await events.WaitForAsync("ok", 4, "4 events of job ok");
        await events.WaitForAsync("bad", 5, "5 events of job bad");
        await events.WaitForAsync("later", 2, "2 events of job later");
        Assert.Equal([JobEventKind.Enqueued, JobEventKind.Active, JobEventKind.Progress, JobEventKind.Completed], events.For("ok").Select(e => e.Kind));
        Assert.Equal("{\"pct\":50}", events.For("ok")[2].Data);
        Assert.Equal([JobEventKind.Enqueued, JobEventKind.Active, JobEventKind.Retrying, JobEventKind.Active, JobEventKind.Failed], events.For("bad").Select(e => e.Kind));
        Assert.Equal("again", events.For("bad")[4].Data);
        Assert.Equal([JobEventKind.Delayed, JobEventKind.Canceled], events.For("later").Select(e => e.Kind));
        var all = events.Events.Where(e => e.JobId is "ok" or "bad" or "later").ToList();
        Assert.All(all, e => Assert.Equal(store.QueueName, e.Queue));
        Assert.All(all, e => Assert.False(string.IsNullOrEmpty(e.Position)));
        Assert.Equal(all.Count, all.Select(e => e.Position).Distinct().Count());
    }

    [Fact]
    public async Task Events_AReaderResumingFromAPositionGetsWhatFollowedIt()
    {
        var store = await NewStoreAsync();
        await using var events = await EventCollector.StartAsync(store, T0);
        await store.EnqueueManyAsync([Job("a"), Job("b"), Job("c")], T0, Ct);
        await events.WaitForAsync("c", 1, "the event of job c");
        var firstA = events.For("a")[0];

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var resumed = new List<JobEvent>();
        await foreach (var e in store.ReadEventsAsync(firstA.Position, cts.Token))
        {
            resumed.Add(e);
            if (resumed.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["b", "c"], resumed.Select(e => e.JobId));
        Assert.Equal(events.For("b")[0].Position, resumed[0].Position);
    }
}
