using System.Diagnostics;
using System.Text.Json;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// Webhook path: the server's PublicBaseUrl is its own address, so FakeFal calls /webhooks/fal
/// (signed with its ED25519 key, verified through its JWKS). The first poll after the submit waits 60 s, so a video
/// that finishes within seconds was woken by the webhook.
/// </summary>
public sealed partial class FalWebhookEndToEndTests(WebhookFalStack stack, ITestOutputHelper output) : IClassFixture<WebhookFalStack>
{
    [Fact]
    public async Task Webhook_WakesTheWaitingVideo_LongBeforeTheNextPoll()
    {
        var watch = Stopwatch.StartNew();
        var id = await stack.CreateVideoAsync("a hummingbird hovering over a flower");

        var video = await stack.WaitForTerminalAsync(id, WebhookFalStack.FirstPoll - TimeSpan.FromSeconds(5));
        output.WriteLine($"webhook path: succeeded in {watch.Elapsed.TotalSeconds:0.0} s (first poll interval {WebhookFalStack.FirstPoll.TotalSeconds} s)");

        Assert.Equal("succeeded", FalStack.Status(video));
        Assert.True(watch.Elapsed < WebhookFalStack.FirstPoll, $"took {watch.Elapsed}");
        var stats = await stack.FakeFal.StatsAsync();
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
        var request = stats.GetProperty("by_request_id").GetProperty(FakeFalProcess.RequestIdFor(stats, id)!);
        Assert.True(request.GetProperty("webhooks").GetInt32() >= 1, request.GetRawText());
        Assert.True(stats.GetProperty("webhooks").GetProperty("delivered").GetInt32() >= 1, stats.GetProperty("webhooks").GetRawText());
        // One status call right after submit, one after the webhook (plus at most a retry): not a poll loop.
        Assert.InRange(request.GetProperty("status").GetInt32(), 1, 3);
    }

    [Fact]
    public async Task LostSubmitAnswer_TheWebhookReattachesTheRequest_AndTheVideoSucceedsPaidOnce()
    {
        // FakeFal accepts the submit and then drops the connection: the server cannot know the request id, so
        // the video is submit_unconfirmed (not failed, not sent again). fal's webhook for that request names the
        // video in its URL; it re-attaches the request and the video finishes without a second submission.
        await stack.FakeFal.ResetAsync();
        await stack.FakeFal.ConfigureAsync("""{"faults":{"routes":{"submit":{"dropRate":1.0}}}}""");
        try
        {
            var id = await stack.CreateVideoAsync("a lighthouse in a storm");

            var unconfirmed = await stack.WaitForVideoAsync(id, v => FalStack.Status(v) != "queued" && FalStack.Status(v) != "submitting", TimeSpan.FromSeconds(30), "the lost submit to be recorded");
            Assert.Equal("submit_unconfirmed", FalStack.Status(unconfirmed));
            var video = await stack.WaitForVideoAsync(id, v => FalStack.Status(v) == "succeeded", WebhookFalStack.FirstPoll - TimeSpan.FromSeconds(5), "the lost submit to be re-attached by the webhook and the video to succeed");

            var stats = await stack.FakeFal.StatsAsync();
            Assert.Equal(1, stats.GetProperty("faults").GetProperty("submit.drop").GetInt32());
            Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
            Assert.Equal(JsonValueKind.Null, video.GetProperty("error").ValueKind);
            Assert.Equal(JsonValueKind.String, video.GetProperty("videoUrl").ValueKind);
        }
        finally
        {
            await stack.FakeFal.ResetAsync();
        }
    }
}

/// <summary>Deadline: FakeFal takes 60 s, the server allows 3 s: canceled at fal, failed with a clear reason.</summary>
public sealed class FalDeadlineEndToEndTests(DeadlineFalStack stack) : IClassFixture<DeadlineFalStack>
{
    [Fact]
    public async Task Deadline_Exceeded_CancelsAtFalAndFailsWithClearReason()
    {
        var id = await stack.CreateVideoAsync("a very long generation");

        var video = await stack.WaitForTerminalAsync(id, TimeSpan.FromSeconds(90));

        Assert.Equal("failed", FalStack.Status(video));
        Assert.Equal("deadline_exceeded", FalStack.Text(video, "errorType"));
        Assert.StartsWith("Deadline exceeded", FalStack.Text(video, "error"), StringComparison.Ordinal);
        var stats = await stack.FakeFal.StatsAsync();
        var requestId = FakeFalProcess.RequestIdFor(stats, id)!;
        Assert.Equal(1, stats.GetProperty("by_request_id").GetProperty(requestId).GetProperty("cancel").GetInt32());
        Assert.Equal(1, stats.GetProperty("outcomes").GetProperty("canceled").GetInt32());
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
        Assert.Equal(JsonValueKind.Null, video.GetProperty("videoUrl").ValueKind);
    }
}
