using System.Net;
using System.Text.Json;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// <c>videogen serve</c> (real process) against FakeFal (real process), polling path: every outcome
/// a fal video can have, checked on our API and on FakeFal's own counters.
/// </summary>
public sealed partial class FalEndToEndTests(PollingFalStack stack) : IClassFixture<PollingFalStack>
{
    // Generous: the machine running the tests may be heavily shared.
    private static readonly TimeSpan Finish = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Video_AtFal_SucceedsWithOwnCopyServedFromMedia_SubmittedOnce_ByPolling()
    {
        var id = await stack.CreateVideoAsync("a lighthouse at dusk, waves crashing");

        var video = await stack.WaitForTerminalAsync(id, Finish);

        Assert.Equal("succeeded", FalStack.Status(video));
        var videoUrl = FalStack.Text(video, "videoUrl")!;
        Assert.StartsWith("/media/", videoUrl, StringComparison.Ordinal);
        Assert.StartsWith("/media/", FalStack.Text(video, "posterUrl"), StringComparison.Ordinal);
        Assert.DoesNotContain(stack.FakeFal.BaseUrl.Authority, video.GetRawText(), StringComparison.Ordinal);
        using var file = await stack.Http.GetAsync(videoUrl, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("video/mp4", file.Content.Headers.ContentType?.MediaType);
        var bytes = await file.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(bytes, 4, 4));
        Assert.True(video.GetProperty("durationSeconds").GetDouble() > 1, video.GetRawText());

        var stats = await stack.FakeFal.StatsAsync();
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
        var request = stats.GetProperty("by_request_id").GetProperty(FakeFalProcess.RequestIdFor(stats, id)!);
        Assert.Equal(0, request.GetProperty("webhooks").GetInt32()); // no PublicBaseUrl: no webhook asked for
        Assert.True(request.GetProperty("status").GetInt32() >= 2, $"the polling path polls status more than once: {request.GetRawText()}");
        Assert.Equal(1, request.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task Submit_RefusedWith422_FailsAtOnceWithFalsMessage()
    {
        var id = await stack.CreateVideoAsync("[fakefal:validation] a cat on a skateboard");

        var video = await stack.WaitForTerminalAsync(id, Finish);

        Assert.Equal("failed", FalStack.Status(video));
        Assert.Contains("Input failed validation (injected by FakeFal).", FalStack.Text(video, "error"), StringComparison.Ordinal);
        var stats = await stack.FakeFal.StatsAsync();
        Assert.Null(FakeFalProcess.RequestIdFor(stats, id)); // refused: nothing was queued at fal
        Assert.True(FakeFalProcess.SubmissionsFor(stats, id) <= 1, "a 422 is permanent: never resent");
    }

    [Fact]
    public async Task ErrorResult_ContentPolicy_FailsWithFalsReason()
    {
        var id = await stack.CreateVideoAsync("[fakefal:error] a crowded market");

        var video = await stack.WaitForTerminalAsync(id, Finish);

        Assert.Equal("failed", FalStack.Status(video));
        Assert.Equal("content_policy_violation", FalStack.Text(video, "errorType"));
        Assert.Contains("flagged by a content checker", FalStack.Text(video, "error"), StringComparison.Ordinal);
        Assert.Null(FalStack.Text(video, "videoUrl"));
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(await stack.FakeFal.StatsAsync(), id));
    }

    [Fact]
    public async Task Cancel_WhileAtFal_ReachesFalAndEndsCanceled()
    {
        await stack.FakeFal.ResetAsync();
        await stack.FakeFal.ConfigureAsync("""{"queue":{"inProgress":"00:00:30"}}""");
        try
        {
            var id = await stack.CreateVideoAsync("a slow sunrise over mountains");
            await stack.WaitForVideoAsync(id, v => FalStack.Status(v) is "in_queue" or "generating", Finish, $"video {id} to be submitted to fal");

            using var cancel = await stack.Http.PostAsync($"/api/videos/{id}/cancel", null, TestContext.Current.CancellationToken);
            Assert.True(cancel.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"cancel answered {(int)cancel.StatusCode}");
            var video = await stack.WaitForTerminalAsync(id, Finish);

            Assert.Equal("canceled", FalStack.Status(video));
            var requestId = FakeFalProcess.RequestIdFor(await stack.FakeFal.StatsAsync(), id)!;
            // The row may turn canceled before the worker has told fal; the cancel must still reach fal.
            var stats = await FalStack.WaitAsync(
                () => stack.FakeFal.StatsAsync(),
                s => s.GetProperty("by_request_id").GetProperty(requestId).GetProperty("cancel").GetInt32() >= 1,
                TimeSpan.FromSeconds(30),
                $"FakeFal to receive the cancel of request {requestId} (video {id})",
                stack);
            Assert.Equal(1, stats.GetProperty("by_request_id").GetProperty(requestId).GetProperty("cancel").GetInt32());
            Assert.Equal(1, stats.GetProperty("outcomes").GetProperty("canceled").GetInt32());
            Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
        }
        finally
        {
            await stack.FakeFal.ResetAsync();
        }
    }

    [Fact]
    public async Task ExpiredRequest_FailsAsExpired_WithoutResubmitting()
    {
        await stack.FakeFal.ResetAsync();
        await stack.FakeFal.ConfigureAsync("""{"queue":{"inProgress":"00:00:30"}}""");
        try
        {
            var id = await stack.CreateVideoAsync("a glacier calving into the sea");
            await stack.WaitForVideoAsync(id, v => FalStack.Status(v) is "in_queue" or "generating", Finish, $"video {id} to be submitted to fal");
            var requestId = FakeFalProcess.RequestIdFor(await stack.FakeFal.StatsAsync(), id)!;

            await stack.FakeFal.ExpireAsync(requestId);
            var video = await stack.WaitForTerminalAsync(id, Finish);

            Assert.Equal("failed", FalStack.Status(video));
            Assert.Equal("request_expired", FalStack.Text(video, "errorType"));
            Assert.Contains("expired", FalStack.Text(video, "error"), StringComparison.Ordinal);
            Assert.Equal(1, FakeFalProcess.SubmissionsFor(await stack.FakeFal.StatsAsync(), id));
        }
        finally
        {
            await stack.FakeFal.ResetAsync();
        }
    }
}
