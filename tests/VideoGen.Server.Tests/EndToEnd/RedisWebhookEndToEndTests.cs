using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// Webhook across processes with the Redis backend: an API-only <c>videogen serve</c> receives fal's
/// webhook while the job waits in a separate <c>videogen worker</c>. Polling waits 60 s after the first
/// status call and generation takes 4 s, so a video that finishes within seconds was woken through the
/// Redis provider-signal channel, not by a poll.
/// </summary>
public sealed class RedisWebhookEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 300_000)]
    public async Task Webhook_AtTheApiProcess_WakesTheJobInTheWorkerProcess_LongBeforeThePoll()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir("videogen-redis-webhook");
        await using var redis = await RedisServer.StartAsync(ct);
        await using var fakeFal = await FakeFalProcess.StartAsync(("Queue:QueueDelay", "00:00:00.300"), ("Queue:InProgress", "00:00:04"));
        string[] shared =
        [
            "--VideoGen:Queue:Backend=redis",
            $"--ConnectionStrings:Redis={redis.Endpoint}",
            $"--VideoGen:Queue:Name=e2e-{Guid.NewGuid():N}",
            $"--VideoGen:Pipeline:PollInterval={FirstPoll:c}",
            "--VideoGen:Pipeline:MaxPollInterval=00:02:00",
            "--VideoGen:Pipeline:PollJitter=0",
        ];
        await using var api = await VideoGenProcess.ServeAsync(dir.Path, fakeFal, webhooks: true, [.. shared, "--VideoGen:Workers:Enabled=false"]);
        // The worker submits, so it names the API process as the webhook target.
        await using var worker = await VideoGenProcess.WorkerAsync(dir.Path, fakeFal, [.. shared, $"--VideoGen:PublicBaseUrl={api.BaseUrl!.AbsoluteUri.TrimEnd('/')}"]);

        var watch = Stopwatch.StartNew();
        var id = await CreateAsync(api.Http!, "a kingfisher diving into a river", ct);
        var video = await WaitForTerminalAsync(api, worker, fakeFal, id, FirstPoll - TimeSpan.FromSeconds(10), ct);
        output.WriteLine($"redis webhook path: {FalStack.Status(video)} in {watch.Elapsed.TotalSeconds:0.0} s (first poll interval {FirstPoll.TotalSeconds} s)");

        Assert.Equal("succeeded", FalStack.Status(video));
        Assert.True(watch.Elapsed < FirstPoll - TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var stats = await fakeFal.StatsAsync();
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
        var request = stats.GetProperty("by_request_id").GetProperty(FakeFalProcess.RequestIdFor(stats, id)!);
        Assert.True(request.GetProperty("webhooks").GetInt32() >= 1, request.GetRawText());
        Assert.True(stats.GetProperty("webhooks").GetProperty("delivered").GetInt32() >= 1, stats.GetProperty("webhooks").GetRawText());
        // One status call right after submit, one after the webhook (plus at most a retry): not a poll loop.
        Assert.InRange(request.GetProperty("status").GetInt32(), 1, 3);
    }

    private static async Task<string> CreateAsync(HttpClient http, string prompt, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { prompt, model = FalStack.TextToVideo });
        using var response = await http.PostAsync("/api/videos", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/videos answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> WaitForTerminalAsync(VideoGenProcess api, VideoGenProcess worker, FakeFalProcess fakeFal, string id, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var text = await api.Http!.GetStringAsync($"/api/videos/{id}", ct);
            using (var doc = JsonDocument.Parse(text))
            {
                if (FalStack.Status(doc.RootElement) is "succeeded" or "failed" or "canceled")
                {
                    return doc.RootElement.Clone();
                }
            }
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for video {id} to reach a terminal status; last value: {text}"
                    + $"\n--- serve log tail ---\n{api.Process.Tail(40)}\n--- worker log tail ---\n{worker.Process.Tail(40)}\n--- FakeFal log tail ---\n{fakeFal.Process.Tail(20)}");
            }
            await Task.Delay(100, ct);
        }
    }
}
