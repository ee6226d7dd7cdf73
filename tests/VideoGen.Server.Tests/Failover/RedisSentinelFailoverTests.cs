using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VideoGen.Server.Tests.Failover;

/// <summary>
/// Redis Sentinel failover under a run of videos: a <c>serve</c> without workers and two
/// <c>worker</c> processes connect through three sentinels (<c>serviceName=</c> connection string);
/// the primary is SIGKILLed mid-run; the sentinels promote the replica. Every video must still
/// succeed, the API must accept new videos within seconds, and both workers must run videos after
/// the failover (none stuck). Jobs lost by asynchronous replication are counted from the
/// reconciler's "Re-enqueued video" lines (it restores them from the app database).
/// </summary>
[Collection(Chaos.ChaosCollection.Name)]
public sealed partial class RedisSentinelFailoverTests(ITestOutputHelper output)
{
    private const int BeforeKill = 12;
    private const int AfterKill = 12;
    private static readonly TimeSpan ApiBackWithin = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 600_000)]
    public async Task PrimaryKilledMidRun_ReplicaPromoted_WorkersAndApiCarryOn_EveryVideoSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await RedisSentinelGroup.StartAsync(ct);
        string[] redisArgs =
        [
            "--VideoGen:Queue:Backend=redis",
            $"--ConnectionStrings:Redis={redis.ConnectionString}",
            "--VideoGen:Queue:ReconcileInterval=00:00:01",
            "--Logging:LogLevel:Default=Information",
        ];
        await using var api = await VideoGenProcess.ServeLocalAsync([.. redisArgs, "--VideoGen:Workers:Enabled=false"]);
        await using var worker1 = await VideoGenProcess.WorkerLocalAsync(api.DataDir, [.. redisArgs, "--VideoGen:Workers:Concurrency=3"]);
        await using var worker2 = await VideoGenProcess.WorkerLocalAsync(api.DataDir, [.. redisArgs, "--VideoGen:Workers:Concurrency=3"]);

        var ids = new List<string>();
        for (var i = 0; i < BeforeKill; i++)
        {
            ids.Add(await CreateAsync(api, $"before the failover {i}", ct) ?? throw new InvalidOperationException($"create {i} refused before any fault:\n{api.Log}"));
        }
        await Eventually.WaitForAsync(() => SucceededAsync(api, ids, ct), n => n >= 3, TimeSpan.FromSeconds(90), "three videos to succeed before the kill", diagnostics: () => worker1.Log);
        var ingestedBefore = (Ingested(worker1.Process.Output), Ingested(worker2.Process.Output));

        var clock = Stopwatch.StartNew();
        redis.KillPrimary();
        TimeSpan? firstAccepted = null;
        var refused = 0;
        while (ids.Count < BeforeKill + AfterKill)
        {
            var id = await CreateAsync(api, $"after the failover {ids.Count - BeforeKill}", ct);
            if (id is null)
            {
                refused++;
                Assert.True(clock.Elapsed < ApiBackWithin, $"the API still refused new videos {clock.Elapsed.TotalSeconds:0.0} s after the kill:\n{api.Process.Tail(40)}");
                await Task.Delay(200, ct);
                continue;
            }
            firstAccepted ??= clock.Elapsed;
            ids.Add(id);
        }

        // Created after the kill, so enqueued on the promoted replica: its success proves API, queue and workers work again.
        var createdAfter = ids.Skip(BeforeKill).ToList();
        await Eventually.WaitForAsync(() => SucceededAsync(api, createdAfter, ct), n => n >= 1, TimeSpan.FromSeconds(60),
            "a video created after the kill to succeed", interval: TimeSpan.FromMilliseconds(200), diagnostics: () => worker1.Process.Tail(40));
        var workersBack = clock.Elapsed;

        await Eventually.WaitForAsync(() => SucceededAsync(api, ids, ct), n => n == ids.Count, TimeSpan.FromSeconds(180),
            $"all {ids.Count} videos to succeed after the failover", diagnostics: () => $"api:\n{api.Process.Tail(40)}\nworker1:\n{worker1.Process.Tail(40)}\nworker2:\n{worker2.Process.Tail(40)}");
        var healed = clock.Elapsed;
        var promoted = await redis.ReportedPrimaryPortAsync(ct);
        var restored = ReEnqueued().Matches(api.Process.Output).Count;
        var afterKill = (Ingested(worker1.Process.Output) - ingestedBefore.Item1, Ingested(worker2.Process.Output) - ingestedBefore.Item2);
        var all = await api.Http.GetFromJsonAsync<JsonElement>("/api/videos?limit=100", ct);

        output.WriteLine($"primary killed; first video accepted after {firstAccepted?.TotalSeconds:0.0} s ({refused} create attempts refused meanwhile); " +
            $"first video created after the kill succeeded {workersBack.TotalSeconds:0.0} s after it; all {ids.Count} videos succeeded {healed.TotalSeconds:0.0} s after the kill; jobs restored by the reconciler (lost by replication): {restored}; " +
            $"videos ingested after the kill: worker1 {afterKill.Item1}, worker2 {afterKill.Item2}");
        Assert.Equal(redis.ReplicaPort, promoted);
        // Idle workers wait on the queue's pub/sub channel: both must have subscribed again on the new primary.
        await Eventually.WaitForAsync(() => WorkSubscribersAsync(redis.ReplicaPort, ct), n => n >= 2, TimeSpan.FromSeconds(15),
            "both workers to be subscribed to the work channel on the promoted replica");
        Assert.True(workersBack < TimeSpan.FromSeconds(30), $"no video created after the kill succeeded within {workersBack.TotalSeconds:0.0} s");
        Assert.True(afterKill.Item1 > 0 && afterKill.Item2 > 0, $"a worker ran no video after the failover (stuck): {afterKill}");
        Assert.Equal(ids.Count, all.GetProperty("items").GetArrayLength() - CountRefusedRows(all, ids));
        Assert.All(all.GetProperty("items").EnumerateArray(), v => Assert.Equal("succeeded", v.GetProperty("status").GetString()));
    }

    /// <summary>Rows a refused create left behind (the row was written, the enqueue failed): the reconciler must have finished them too.</summary>
    private static int CountRefusedRows(JsonElement all, List<string> ids) =>
        all.GetProperty("items").EnumerateArray().Count(v => !ids.Contains(v.GetProperty("id").GetString()!));

    private static async Task<string?> CreateAsync(VideoGenProcess api, string prompt, CancellationToken ct)
    {
        try
        {
            using var response = await api.Http.PostAsJsonAsync("/api/videos", new { prompt, model = "local/preview" }, ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return null;
            }
            return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task<int> SucceededAsync(VideoGenProcess api, List<string> ids, CancellationToken ct)
    {
        var n = 0;
        foreach (var id in ids)
        {
            var video = await api.Http.GetFromJsonAsync<JsonElement>($"/api/videos/{id}", ct);
            n += video.GetProperty("status").GetString() == "succeeded" ? 1 : 0;
        }
        return n;
    }

    private static async Task<int> WorkSubscribersAsync(int port, CancellationToken ct)
    {
        var reply = await RedisSentinelGroup.CommandAsync(port, "PUBSUB NUMSUB vgq:{videos}:work", ct);
        var count = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith(':'));
        return count is null ? 0 : int.Parse(count[1..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Ingested(string log) => IngestedLine().Matches(log).Count;

    [GeneratedRegex(@"Ingested \S+:")]
    private static partial Regex IngestedLine();

    [GeneratedRegex(@"Re-enqueued video \S+")]
    private static partial Regex ReEnqueued();
}
