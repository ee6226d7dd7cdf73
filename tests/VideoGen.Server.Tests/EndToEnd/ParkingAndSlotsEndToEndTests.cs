using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// Issue 13 through real processes and FakeFal: a video waiting at fal holds no handler (its job is parked and a
/// webhook promotes it), fal slots hold across two worker processes on Redis and follow an admin's change at run
/// time, and fal's 429 on submit is absorbed without an attempt.
/// </summary>
public sealed partial class ParkingAndSlotsEndToEndTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task ConcurrencyOne_ParkedVideosHoldNoHandler_AllTenAtFalAtOnce_AndWebhooksFinishThem()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        using var dir = new TempDir("videogen-parking");
        await using var fakeFal = await FakeFalProcess.StartAsync(("Queue:QueueDelay", "00:00:00.200"), ("Queue:InProgress", "00:00:08"), ("Queue:Slots", "50"));
        // One handler; status checks only as a 10-minute backstop: only parking puts more than one video at fal, and
        // only webhooks finish them within the test.
        await using var serve = await VideoGenProcess.ServeAsync(dir.Path, fakeFal, webhooks: true,
            "--VideoGen:Workers:Concurrency=1", "--VideoGen:Pipeline:WebhookBackstopInterval=00:10:00");

        var watch = Stopwatch.StartNew();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await CreateAsync(serve.Http, $"parked fox {i}"));
        }

        await WaitForAllAsync(serve, ids, TimeSpan.FromSeconds(90), fakeFal, serve);
        output.WriteLine($"10 videos, concurrency 1, webhooks: all terminal in {watch.Elapsed.TotalSeconds:0.0} s");

        var stats = await fakeFal.StatsAsync();
        Assert.Equal(10, stats.GetProperty("at_fal").GetProperty("peak").GetInt32());
        foreach (var id in ids)
        {
            Assert.Equal("succeeded", Status(await GetAsync(serve.Http, id)));
            Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
            var request = stats.GetProperty("by_request_id").GetProperty(FakeFalProcess.RequestIdFor(stats, id)!);
            // No check after the submit, one after the webhook (and at most one more if a webhook came twice).
            Assert.InRange(request.GetProperty("status").GetInt32(), 1, 2);
        }
    }

    [Fact(Timeout = 600_000)]
    public async Task TwoWorkersOnRedis_LimitThree_FakeFalNeverSeesMoreThanThree_ThenALoweredLimitReachesBoth()
    {
        using var dir = new TempDir("videogen-slots");
        await using var redis = await RedisServer.StartAsync(TestContext.Current.CancellationToken);
        await using var fakeFal = await FakeFalProcess.StartAsync(("Queue:QueueDelay", "00:00:00.100"), ("Queue:InProgress", "00:00:00.600"), ("Queue:Slots", "50"));
        string[] shared =
        [
            "--VideoGen:Queue:Backend=redis",
            $"--ConnectionStrings:Redis={redis.Endpoint}",
            $"--VideoGen:Queue:Name=slots-{Guid.NewGuid():N}",
            "--VideoGen:Providers:Fal:MaxConcurrent=3",
            "--VideoGen:Queue:MaxAttempts=1",
        ];
        await using var api = await VideoGenProcess.ServeAsync(dir.Path, fakeFal, webhooks: true, [.. shared, "--VideoGen:Workers:Enabled=false"]);
        string[] workerArgs = [.. shared, $"--VideoGen:PublicBaseUrl={api.BaseUrl.AbsoluteUri.TrimEnd('/')}"];
        await using var one = await VideoGenProcess.WorkerAsync(dir.Path, fakeFal, workerArgs);
        await using var two = await VideoGenProcess.WorkerAsync(dir.Path, fakeFal, workerArgs);

        var limits = await GetJsonAsync(api.Http, "/api/admin/providers/fal/limits");
        Assert.Equal(3, limits.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal("configuration", limits.GetProperty("source").GetString());

        var watch = Stopwatch.StartNew();
        var first = await CreateManyAsync(api.Http, "slot fox", 30);
        await WaitForAllAsync(api, first, TimeSpan.FromSeconds(240), fakeFal, one, two);
        var stats = await fakeFal.StatsAsync();
        output.WriteLine($"30 videos, limit 3, two workers: {watch.Elapsed.TotalSeconds:0.0} s, FakeFal peak {stats.GetProperty("at_fal").GetProperty("peak")}");
        Assert.Equal(3, stats.GetProperty("at_fal").GetProperty("peak").GetInt32());
        await AssertAllSucceededOnceAsync(api.Http, first, stats);
        var submittedBy = (Submits(one), Submits(two));
        Assert.True(submittedBy.Item1 > 0 && submittedBy.Item2 > 0, $"both workers submit (worker one {submittedBy.Item1}, worker two {submittedBy.Item2})");

        // An admin lowers the limit at run time; every machine follows within the catalog's refresh interval.
        var lowered = await PutJsonAsync(api.Http, "/api/admin/providers/fal/limits", new { maxConcurrent = 1 });
        Assert.Equal(1, lowered.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal("admin", lowered.GetProperty("source").GetString());
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        await fakeFal.ResetAsync();
        var before = (Submits(one), Submits(two));
        var second = await CreateManyAsync(api.Http, "one at a time", 10);
        await WaitForAllAsync(api, second, TimeSpan.FromSeconds(240), fakeFal, one, two);
        stats = await fakeFal.StatsAsync();
        Assert.Equal(1, stats.GetProperty("at_fal").GetProperty("peak").GetInt32());
        await AssertAllSucceededOnceAsync(api.Http, second, stats);
        Assert.True(Submits(one) > before.Item1 && Submits(two) > before.Item2,
            $"both workers submitted under the lowered limit (worker one {Submits(one) - before.Item1}, worker two {Submits(two) - before.Item2})");

        var after = await GetJsonAsync(api.Http, "/api/admin/providers/fal/limits");
        Assert.Equal(0, after.GetProperty("inUse").GetInt32());
    }

    [Fact(Timeout = 300_000)]
    public async Task Submit429_IsAbsorbed_RetryAfterHonoured_NoAttemptUsed_NeverAFailure()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        using var dir = new TempDir("videogen-429");
        await using var fakeFal = await FakeFalProcess.StartAsync(
            ("Queue:QueueDelay", "00:00:00.100"), ("Queue:InProgress", "00:00:00.500"),
            ("Faults:Routes:submit:RateLimitRate", "0.5"), ("Faults:Routes:submit:RetryAfterSeconds", "1"));
        // One attempt per video: a 429 that used an attempt would fail the video.
        await using var serve = await VideoGenProcess.ServeAsync(dir.Path, fakeFal, webhooks: true, "--VideoGen:Queue:MaxAttempts=1");

        var ids = await CreateManyAsync(serve.Http, "rate limited fox", 8);
        await WaitForAllAsync(serve, ids, TimeSpan.FromSeconds(120), fakeFal, serve);

        var stats = await fakeFal.StatsAsync();
        Assert.True(stats.GetProperty("faults").TryGetProperty("submit.rate_limit", out var limited) && limited.GetInt32() > 0, stats.GetProperty("faults").GetRawText());
        await AssertAllSucceededOnceAsync(serve.Http, ids, stats);
    }

    private static int Submits(VideoGenProcess worker) => SubmittedLine().Matches(worker.Log).Count;

    [GeneratedRegex(@"submitted to fal as ")]
    private static partial Regex SubmittedLine();

    private static async Task AssertAllSucceededOnceAsync(HttpClient http, IEnumerable<string> ids, JsonElement stats)
    {
        foreach (var id in ids)
        {
            var video = await GetAsync(http, id);
            Assert.True(Status(video) == "succeeded", video.GetRawText());
            Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
        }
    }

    private static async Task<List<string>> CreateManyAsync(HttpClient http, string prompt, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(await CreateAsync(http, $"{prompt} {i}"));
        }

        return ids;
    }

    private static async Task<string> CreateAsync(HttpClient http, string prompt)
    {
        var body = JsonSerializer.Serialize(new { prompt, model = FalStack.TextToVideo });
        using var response = await http.PostAsync("/api/videos", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/videos answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> GetAsync(HttpClient http, string id) => await GetJsonAsync(http, $"/api/videos/{id}");

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private static async Task<JsonElement> PutJsonAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PutAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path} answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private static string Status(JsonElement video) => video.GetProperty("status").GetString()!;

    private static async Task WaitForAllAsync(VideoGenProcess api, IReadOnlyList<string> ids, TimeSpan timeout, FakeFalProcess fakeFal, params VideoGenProcess[] workers)
    {
        var pending = new HashSet<string>(ids, StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        var last = "";
        while (pending.Count > 0)
        {
            foreach (var id in pending.ToList())
            {
                var video = await GetAsync(api.Http, id);
                last = video.GetRawText();
                if (Status(video) is "succeeded" or "failed" or "canceled")
                {
                    pending.Remove(id);
                }
            }

            if (pending.Count == 0)
            {
                break;
            }

            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {pending.Count} of {ids.Count} videos to end; last seen: {last}"
                    + string.Concat(workers.Select(w => $"\n--- {w.Process.Name} log tail ---\n{w.Process.Tail(30)}"))
                    + $"\n--- FakeFal log tail ---\n{fakeFal.Process.Tail(20)}");
            }

            await Task.Delay(200, Ct);
        }
    }
}
