using System.Diagnostics;
using System.Text;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// Issue 11, path 6, the scenario that found it: an API-only <c>videogen serve</c> and two <c>videogen worker</c>
/// processes on Redis, FakeFal with webhooks on and 20 % of submits answered by a dropped connection after FakeFal
/// accepted them, a worker SIGKILLed (and restarted) every 3 s while 60 videos run. Every video must succeed, with
/// exactly one FakeFal submission each: a lost answer is resolved by fal's webhook (or the request list), a kill before
/// the submit was sent by one resubmit after the window (short here: FakeFal calls back within seconds).
/// </summary>
[Collection(Chaos.ChaosCollection.Name)]
public sealed class UnconfirmedSubmitChaosTests(ITestOutputHelper output)
{
    private const int Videos = 60;
    private static readonly TimeSpan KillEvery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ChaosFor = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 300_000)]
    public async Task DroppedAnswersAndKilledWorkers_EveryVideoSucceeds_WithOneSubmissionEach()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir("videogen-unconfirmed-chaos");
        await using var redis = await RedisServer.StartAsync(ct);
        await using var fakeFal = await FakeFalProcess.StartAsync(("Queue:Slots", "100"), ("Queue:QueueDelay", "00:00:00.300"), ("Queue:InProgress", "00:00:02"));
        await fakeFal.ConfigureAsync("""{"faults":{"routes":{"submit":{"dropRate":0.2}}}}""");
        string[] shared =
        [
            "--VideoGen:Queue:Backend=redis",
            $"--ConnectionStrings:Redis={redis.Endpoint}",
            $"--VideoGen:Queue:Name=chaos-{Guid.NewGuid():N}",
            "--VideoGen:Queue:MaxAttempts=30",
            // FakeFal ends a request within ~3 s and retries its webhook for ~8 s: 15 s is past both.
            "--VideoGen:Pipeline:SubmitUnconfirmedWindow=00:00:15",
            "--VideoGen:Pipeline:SubmitUnconfirmedRecheckInterval=00:00:01",
        ];
        await using var api = await VideoGenProcess.ServeAsync(dir.Path, fakeFal, webhooks: true, [.. shared, "--VideoGen:Workers:Enabled=false", "--VideoGen:Queue:ReconcileInterval=00:00:05"]);
        string[] workerArgs =
        [
            .. shared,
            $"--VideoGen:PublicBaseUrl={api.BaseUrl.AbsoluteUri.TrimEnd('/')}",
            "--VideoGen:Workers:Concurrency=8",
            "--VideoGen:Workers:LeaseDuration=00:00:04",
            "--VideoGen:Workers:HeartbeatInterval=00:00:01",
            "--VideoGen:Workers:RecoveryInterval=00:00:01",
        ];
        // Each slot holds a worker starting or running; a kill restarts its slot without waiting for the new one.
        var workers = new[] { VideoGenProcess.WorkerAsync(dir.Path, fakeFal, workerArgs), VideoGenProcess.WorkerAsync(dir.Path, fakeFal, workerArgs) };
        try
        {
            await Task.WhenAll(workers);
            var ids = new List<string>();
            for (var i = 0; i < Videos; i++)
            {
                ids.Add(await CreateAsync(api.Http, $"chaos clip {i}", ct));
            }

            var watch = Stopwatch.StartNew();
            var everUnconfirmed = new HashSet<string>(StringComparer.Ordinal);
            var kills = 0;
            var nextKill = KillEvery;
            List<JsonElement> videos;
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                videos = await ListAsync(api.Http, ct);
                everUnconfirmed.UnionWith(videos.Where(v => FalStack.Status(v) == "submit_unconfirmed").Select(v => FalStack.Text(v, "id")!));
                if (videos.All(IsTerminal) || watch.Elapsed > ChaosFor)
                {
                    break;
                }
                if (watch.Elapsed < nextKill)
                {
                    continue;
                }
                // Every 3 s, SIGKILL a running worker (the two take turns; one still starting is left to start).
                nextKill += KillEvery;
                var victim = Enumerable.Range(kills, workers.Length).Select(i => i % workers.Length).FirstOrDefault(i => workers[i].IsCompletedSuccessfully, -1);
                if (victim < 0)
                {
                    continue;
                }
                var worker = await workers[victim];
                await worker.Process.KillAsync();
                await worker.DisposeAsync();
                workers[victim] = VideoGenProcess.WorkerAsync(dir.Path, fakeFal, workerArgs);
                kills++;
            }
            output.WriteLine($"{kills} SIGKILLs in {watch.Elapsed.TotalSeconds:0} s; then waiting for the rest without kills");

            videos = await FalStack.WaitAsync(
                async () =>
                {
                    var all = await ListAsync(api.Http, ct);
                    everUnconfirmed.UnionWith(all.Where(v => FalStack.Status(v) == "submit_unconfirmed").Select(v => FalStack.Text(v, "id")!));
                    return all;
                },
                all => all.Count == Videos && all.All(IsTerminal),
                TimeSpan.FromSeconds(120),
                $"all {Videos} videos to be terminal after {kills} kills; serve log:\n{api.Process.Tail(30)}");

            var stats = await fakeFal.StatsAsync();
            var submissions = ids.ToDictionary(id => id, id => FakeFalProcess.SubmissionsFor(stats, id));
            var report = new StringBuilder()
                .Append($"{Videos} videos, 2 workers on Redis, {kills} SIGKILLs (one every {KillEvery.TotalSeconds:0} s while a worker was up); finished in {watch.Elapsed.TotalSeconds:0} s\n")
                .Append($"by status: {string.Join(", ", videos.GroupBy(FalStack.Status).Select(g => $"{g.Key} {g.Count()}"))}; seen submit_unconfirmed: {everUnconfirmed.Count}\n")
                .Append($"FakeFal submissions {stats.GetProperty("submissions").GetProperty("total").GetInt32()}, per video: ")
                .Append(JsonSerializer.Serialize(submissions.Values.GroupBy(n => n).OrderBy(g => g.Key).ToDictionary(g => $"{g.Key}", g => g.Count())))
                .Append($"\nFakeFal faults: {stats.GetProperty("faults").GetRawText()}; webhooks: {stats.GetProperty("webhooks").GetRawText()}; calls: {stats.GetProperty("calls").GetRawText()}");
            output.WriteLine(report.ToString());

            Assert.All(videos, v => Assert.True(FalStack.Status(v) == "succeeded", $"video {FalStack.Text(v, "id")} ended {v.GetRawText()}\n{report}"));
            Assert.All(submissions, s => Assert.True(s.Value == 1, $"video {s.Key} was submitted {s.Value} times\n{report}"));
            Assert.True(stats.GetProperty("faults").TryGetProperty("submit.drop", out var drops) && drops.GetInt32() > 0, $"no submit answer was dropped\n{report}");
            Assert.True(kills >= 3, $"only {kills} kills landed\n{report}");
        }
        finally
        {
            foreach (var starting in workers)
            {
                try
                {
                    await (await starting).DisposeAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A worker that failed to start has nothing to dispose; the test's own assertions report it.
                }
            }
        }
    }

    private static bool IsTerminal(JsonElement video) => FalStack.Status(video) is "succeeded" or "failed" or "canceled";

    private static async Task<string> CreateAsync(HttpClient http, string prompt, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { prompt, model = FalStack.TextToVideo });
        using var response = await http.PostAsync("/api/videos", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/videos answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http, CancellationToken ct)
    {
        var text = await http.GetStringAsync("/api/videos?limit=100", ct);
        using var doc = JsonDocument.Parse(text);
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }
}
