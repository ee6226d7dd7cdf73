using System.Diagnostics;
using VideoGen.Queue.Redis;

namespace VideoGen.Queue.Tests.Redis;

public sealed class RedisEventsAndWakeTests(RedisServerFixture redis) : RedisStoreTestBase(redis)
{
    [Fact]
    public async Task ReadEvents_FromAnyPosition_ResumesWithoutMissingOne()
    {
        var store = NewStore("events");
        await store.EnqueueManyAsync([Job("a"), Job("b")], Time.GetUtcNow(), Ct);
        var claimed = await ClaimAsync(store, 2);
        await store.ReportProgressAsync(new LeaseRef("a", claimed[0].LeaseToken), "{\"pct\":50}", Time.GetUtcNow(), Ct);
        await store.CompleteAsync([new JobCompletion("a", claimed[0].LeaseToken), new JobCompletion("b", claimed[1].LeaseToken)], Time.GetUtcNow(), Ct);

        var all = await ReadAsync(store, "0-0", 7);
        Assert.Equal(
            [("a", JobEventKind.Enqueued), ("b", JobEventKind.Enqueued), ("a", JobEventKind.Active), ("b", JobEventKind.Active), ("a", JobEventKind.Progress), ("a", JobEventKind.Completed), ("b", JobEventKind.Completed)],
            all.Select(e => (e.JobId, e.Kind)));
        Assert.Equal("{\"pct\":50}", all[4].Data);
        Assert.All(all, e => Assert.Equal(Time.GetUtcNow(), e.At));
        Assert.Equal(7, all.Select(e => e.Position).Distinct().Count());

        // Resume after the first event of a multi-event entry and after a whole entry.
        Assert.Equal(all.Skip(1).Select(e => e.Position), (await ReadAsync(store, all[0].Position, 6)).Select(e => e.Position));
        Assert.Equal(all.Skip(5).Select(e => e.Position), (await ReadAsync(store, all[4].Position, 2)).Select(e => e.Position));
    }

    [Fact]
    public async Task IdsAndTextNeedingJsonEscapes_SurviveEnqueueClaimCompleteAndTheEventStream()
    {
        // The scripts write records and events as text without a JSON encoder for plain strings.
        var store = NewStore("escapes");
        string[] ids = ["quote\"d", "back\\slash", "line\nbreak\ttab", "ünïcode ✓ /slash", "ctrl\u0001"];
        var now = Time.GetUtcNow();
        await store.EnqueueManyAsync(
            [.. ids.Select((id, i) => Job(id, priority: -i, group: i % 2 == 0 ? "g=\"|" : null)), Job("later") with { RunAt = now.AddMinutes(1) }],
            now,
            Ct);

        var claimed = await ClaimAsync(store, 10);
        Assert.Equal(ids, claimed.Select(j => j.Id));
        Assert.Equal(ids.Select((id, i) => ($"{{\"id\":\"{id}\"}}", -i, i % 2 == 0 ? "g=\"|" : null)), claimed.Select(j => (j.Payload, j.Priority, j.Group)));
        await store.ReportProgressAsync(new LeaseRef(ids[0], claimed[0].LeaseToken), "50% \"done\"\n", now, Ct);
        Assert.All(await store.CompleteAsync([.. claimed.Select(j => new JobCompletion(j.Id, j.LeaseToken))], now, Ct), Assert.True);

        var events = await ReadAsync(store, "0-0", 6 + ids.Length + 1 + ids.Length);
        Assert.Equal([.. ids.Select(id => (id, JobEventKind.Enqueued)), ("later", JobEventKind.Delayed)], events.Take(6).Select(e => (e.JobId, e.Kind)));
        Assert.Equal(ids, events.Where(e => e.Kind == JobEventKind.Completed).Select(e => e.JobId));
        Assert.Equal("50% \"done\"\n", Assert.Single(events, e => e.Kind == JobEventKind.Progress).Data);
        var later = (await store.GetAsync("later", Ct))!;
        Assert.Equal((JobState.Delayed, now.AddMinutes(1), now), (later.State, later.RunAt, later.CreatedAt));
        var done = (await store.GetAsync(ids[3], Ct))!;
        Assert.Equal((JobState.Completed, -3, now, now), (done.State, done.Priority, done.RunAt, done.FinishedAt));
    }

    [Fact]
    public async Task ReadEvents_FromNull_SeesOnlyNewEvents()
    {
        var store = NewStore("events-new");
        await store.EnqueueAsync(Job("old"), Time.GetUtcNow(), Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await using var reader = store.ReadEventsAsync(null, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = reader.MoveNextAsync().AsTask();
        await Task.Delay(100, Ct); // the reader must have fixed its start before the new enqueue for this test to mean anything
        await store.EnqueueAsync(Job("new"), Time.GetUtcNow(), Ct);
        Assert.True(await next, "no event arrived within 10 s");
        Assert.Equal(("new", JobEventKind.Enqueued), (reader.Current.JobId, reader.Current.Kind));
    }

    [Fact]
    public async Task WaitForWork_WakesWithinMilliseconds_WhenAnotherProcessEnqueues()
    {
        var queue = RedisServerFixture.NewQueueName("wake");
        await using var workerSide = new RedisQueueStoreFactory(Redis.Server.Endpoint);
        await using var producerSide = new RedisQueueStoreFactory(Redis.Server.Endpoint);
        var waiting = workerSide.Open(queue);
        var producer = producerSide.Open(queue);
        await waiting.WaitForWorkAsync(TimeSpan.Zero, Ct); // subscribes
        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var wait = waiting.WaitForWorkAsync(TimeSpan.FromSeconds(10), Ct);
            var sw = Stopwatch.StartNew();
            await producer.EnqueueAsync(Job($"j{i}"), Time.GetUtcNow(), Ct);
            await wait;
            latencies.Add(sw.Elapsed.TotalMilliseconds);
            Assert.Single(await waiting.ClaimAsync(new ClaimRequest("w", 1, Lease), Time.GetUtcNow(), Ct));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"wake latency ms: max {latencies.Max():F2}, median {latencies.Order().ElementAt(10):F2}");
        Assert.True(latencies.Max() < 1000, $"a wake-up took {latencies.Max():F0} ms (no polling: it should be a few ms)");
        Assert.True(latencies.Order().ElementAt(10) < 50, $"median wake-up {latencies.Order().ElementAt(10):F1} ms");
    }

    [Fact]
    public async Task ReadCancelRequests_DeliversTheIdsOfActiveJobs_CanceledFromAnotherProcess()
    {
        var queue = RedisServerFixture.NewQueueName("cancels");
        await using var workerSide = new RedisQueueStoreFactory(Redis.Server.Endpoint);
        await using var apiSide = new RedisQueueStoreFactory(Redis.Server.Endpoint);
        var worker = workerSide.Open(queue);
        var api = apiSide.Open(queue);
        await api.EnqueueManyAsync([.. Enumerable.Range(0, 20).Select(i => Job($"active-{i}")), Job("queued")], Time.GetUtcNow(), Ct);
        Assert.Equal(20, (await worker.ClaimAsync(new ClaimRequest("w", 20, Lease), Time.GetUtcNow(), Ct)).Count);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await using var requests = worker.ReadCancelRequestsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = requests.MoveNextAsync().AsTask();
        // The subscription goes live in the background: cancel active jobs one by one until the first is heard.
        var canceled = new List<string>();
        for (var i = 0; i < 19 && !next.IsCompleted; i++)
        {
            canceled.Add($"active-{i}");
            Assert.Equal(CancelOutcome.CancelRequested, await api.CancelAsync($"active-{i}", "user", Time.GetUtcNow(), Ct));
            await Task.WhenAny(next, Task.Delay(100, Ct));
        }

        Assert.True(await next, "no cancel request arrived");
        Assert.Contains(requests.Current, canceled);
        while (requests.Current != canceled[^1])
        {
            Assert.True(await requests.MoveNextAsync(), "the last cancel request never arrived");
        }

        // A queued job is canceled outright (nothing for a worker to stop), so only the active one is published.
        Assert.Equal(CancelOutcome.Canceled, await api.CancelAsync("queued", "user", Time.GetUtcNow(), Ct));
        Assert.Equal(CancelOutcome.CancelRequested, await api.CancelAsync("active-19", "user", Time.GetUtcNow(), Ct));
        Assert.True(await requests.MoveNextAsync(), "the cancel request of active-19 never arrived");
        Assert.Equal("active-19", requests.Current);
    }

    private static async Task<List<JobEvent>> ReadAsync(IQueueStore store, string? after, int count)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        var list = new List<JobEvent>();
        await foreach (var e in store.ReadEventsAsync(after, cts.Token))
        {
            list.Add(e);
            if (list.Count == count)
            {
                break;
            }
        }

        Assert.True(list.Count == count, $"expected {count} events within 10 s, got {list.Count}");
        return list;
    }
}
