using System.Diagnostics;
using System.Text;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// Crash safety against FakeFal injecting faults: an API-only <c>videogen serve</c> takes 30 videos
/// (and fal's webhooks), while a <c>videogen worker</c> process is SIGKILLed again and again at
/// different moments (and restarted each time) until every video is terminal. Every video must end
/// succeeded — a kill between "submitting" and the saved request id leaves it <c>submit_unconfirmed</c>, and fal's
/// webhook (the submit had reached FakeFal) or one resubmit after the window (it had not) finishes it — and FakeFal
/// must have counted exactly one submission per video.
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Videos = 30;
    private const int Concurrency = 8;

    // One kill per pipeline step (as soon as a video is seen there), then two at random moments.
    private static readonly string[][] KillMoments = [["submitting"], ["in_queue", "generating"], ["ingesting"], ["submitting"], [], []];

    // Status faults are retried by transport resilience and the pipeline; slow submits widen the
    // submit window a kill can land in; webhooks arrive twice and late.
    private const string Faults = """
        {"faults":{
          "duplicateWebhookRate":0.5, "lateWebhookRate":0.3, "lateWebhookDelay":"00:00:02",
          "routes":{
            "status":{"serverErrorRate":0.15, "rateLimitRate":0.1, "retryAfterSeconds":1, "slowRate":0.1, "slowDelay":"00:00:01"},
            "result":{"serverErrorRate":0.1},
            "submit":{"rateLimitRate":0.1, "retryAfterSeconds":1, "slowRate":0.3, "slowDelay":"00:00:01.500"}
          }}}
        """;

    [Fact(Timeout = 600_000)]
    public async Task WorkerKilledRepeatedly_EveryVideoEndsRightly_AndNoneIsPaidTwice()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var dir = new TempDir("videogen-crash");
        await using var fakeFal = await FakeFalProcess.StartAsync(("Queue:Slots", "100"), ("Queue:QueueDelay", "00:00:00.300"), ("Queue:InProgress", "00:00:02"));
        await fakeFal.ConfigureAsync(Faults);
        await using var api = await VideoGenProcess.ServeAsync(dir.Path, fakeFal, webhooks: true, "--VideoGen:Workers:Enabled=false");
        string[] workerArgs =
        [
            // Workers submit, so they name the API process as the webhook target (fal's duplicate and late webhooks land there).
            $"--VideoGen:PublicBaseUrl={api.BaseUrl!.AbsoluteUri.TrimEnd('/')}",
            $"--VideoGen:Workers:Concurrency={Concurrency}",
            "--VideoGen:Queue:MaxAttempts=30",
            // FakeFal ends a request within ~4 s (a late webhook 2 s later, retried for ~8 s): 20 s is past all of it.
            "--VideoGen:Pipeline:SubmitUnconfirmedWindow=00:00:20",
            "--VideoGen:Pipeline:SubmitUnconfirmedRecheckInterval=00:00:01",
        ];

        var ids = new List<string>();
        for (var i = 0; i < Videos; i++)
        {
            ids.Add(await CreateAsync(api.Http!, $"crash-safety clip {i}"));
        }

        var watch = Stopwatch.StartNew();
        var kills = new List<string>();
        var inSubmitWindow = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < KillMoments.Length; k++)
        {
            var target = KillMoments[k];
            var worker = await VideoGenProcess.WorkerAsync(dir.Path, fakeFal, workerArgs);
            string statuses;
            if (target.Length == 0)
            {
                // A random moment.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 4000)), TestContext.Current.CancellationToken);
                statuses = Histogram(await ListAsync(api.Http!));
            }
            else
            {
                // Kill as soon as some video is at that step (killed leases come back only after the lease duration).
                var seen = await FalStack.WaitAsync(
                    () => ListAsync(api.Http!),
                    all => all.Any(v => target.Contains(FalStack.Status(v))) || all.All(v => FalStack.Status(v) is "succeeded" or "failed" or "canceled"),
                    TimeSpan.FromSeconds(90),
                    $"a video in {string.Join('/', target)} before kill {k + 1}");
                statuses = Histogram(seen);
            }
            await worker.Process.KillAsync();
            await worker.DisposeAsync();
            // Only one worker runs at a time, so the rows now show exactly where the kill landed.
            var atKill = await ListAsync(api.Http!);
            foreach (var v in atKill.Where(v => FalStack.Status(v) == "submitting"))
            {
                inSubmitWindow.Add(FalStack.Text(v, "id")!);
            }
            var moment = target.Length == 0 ? "random moment" : string.Join('/', target);
            kills.Add(moment);
            output.WriteLine($"kill {k + 1} ({moment}) at {watch.Elapsed.TotalSeconds:0.0} s; seen before: {statuses}; at the kill: {Histogram(atKill)}");
        }

        await using (var last = await VideoGenProcess.WorkerAsync(dir.Path, fakeFal, workerArgs))
        {
            await FalStack.WaitAsync(
                () => ListAsync(api.Http!),
                all => all.Count == Videos && all.All(v => FalStack.Status(v) is "succeeded" or "failed" or "canceled"),
                TimeSpan.FromSeconds(240),
                $"all {Videos} videos to be terminal after {kills.Count} kills (killed leases come back after the lease duration); worker log:\n{last.Process.Tail(40)}");
        }

        var videos = await ListAsync(api.Http!);
        var stats = await fakeFal.StatsAsync();
        var byType = videos.Where(v => FalStack.Status(v) == "failed").GroupBy(v => FalStack.Text(v, "errorType")).ToDictionary(g => g.Key ?? "null", g => g.Count());
        var succeeded = videos.Count(v => FalStack.Status(v) == "succeeded");
        var submissions = ids.ToDictionary(id => id, id => FakeFalProcess.SubmissionsFor(stats, id));
        var report = new StringBuilder()
            .Append($"seed {seed}; {Videos} videos, worker concurrency {Concurrency}; finished in {watch.Elapsed.TotalSeconds:0} s\n")
            .Append($"succeeded {succeeded}; failed by type: {JsonSerializer.Serialize(byType)}; canceled {videos.Count(v => FalStack.Status(v) == "canceled")}\n")
            .Append($"kills {kills.Count} (videos caught submitting: {inSubmitWindow.Count}); FakeFal submissions total {stats.GetProperty("submissions").GetProperty("total").GetInt32()}, ")
            .Append($"per video: {JsonSerializer.Serialize(submissions.Values.GroupBy(n => n).OrderBy(g => g.Key).ToDictionary(g => $"{g.Key}", g => g.Count()))}\n")
            .Append($"FakeFal faults: {stats.GetProperty("faults").GetRawText()}\nwebhooks: {stats.GetProperty("webhooks").GetRawText()}\ncalls: {stats.GetProperty("calls").GetRawText()}");
        output.WriteLine(report.ToString());

        Assert.All(videos, v => Assert.True(FalStack.Status(v) == "succeeded", $"video {FalStack.Text(v, "id")} ended wrongly: {v.GetRawText()}\n{report}"));
        Assert.Empty(stats.GetProperty("submissions").GetProperty("duplicate_idempotency_keys").EnumerateArray());
        Assert.All(submissions, s => Assert.True(s.Value == 1, $"video {s.Key} was submitted {s.Value} times\n{report}"));
    }

    private static async Task<string> CreateAsync(HttpClient http, string prompt)
    {
        var body = JsonSerializer.Serialize(new { prompt, model = FalStack.TextToVideo });
        using var response = await http.PostAsync("/api/videos", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/videos answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/api/videos?limit=100", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(text);
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    private static string Histogram(List<JsonElement> videos) =>
        string.Join(", ", videos.GroupBy(FalStack.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
}
