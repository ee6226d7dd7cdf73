using System.Net;
using System.Text.Json;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// DESIGN promise 5 end to end (<c>videogen serve</c> and FakeFal as real processes): a video that is
/// generating at fal while its job is parked waiting out fal's rate limit on status calls (a paid wait: it
/// burns no queue attempt and holds no worker) is canceled by the API, ends canceled, and fal receives exactly
/// one cancel.
/// </summary>
public sealed class CancelDelayedFalTests(RateLimitedStatusFalStack stack) : IClassFixture<RateLimitedStatusFalStack>
{
    private static readonly TimeSpan Finish = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Cancel_WhileWaitingOutFalsRateLimitOnStatus_SendsOneCancelToFal()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await stack.CreateVideoAsync("a paper boat drifting down a gutter");
        // Submitted (fal knows the request), then status polls get 429 with a 10-minute Retry-After: the job waits.
        var submitted = await FalStack.WaitAsync(
            () => stack.FakeFal.StatsAsync(),
            s => FakeFalProcess.RequestIdFor(s, id) is not null,
            Finish,
            $"fal to accept the submission of video {id}",
            stack);
        var requestId = FakeFalProcess.RequestIdFor(submitted, id)!;
        // The status check got fal's 429; the job is then parked (delayed) until the Retry-After, holding no worker.
        await FalStack.WaitAsync(
            () => stack.FakeFal.StatsAsync(),
            s => s.GetProperty("faults").TryGetProperty("status.rate_limit", out var n) && n.GetInt64() >= 1,
            Finish,
            $"fal to answer a status call of video {id} with 429",
            stack);
        await FalStack.WaitAsync(
            () => JobStateAsync(id),
            state => state == "delayed",
            Finish,
            $"the job of video {id} to be parked waiting out fal's 429",
            stack);

        using var cancel = await stack.Http.PostAsync($"/api/videos/{id}/cancel", null, ct);

        var text = await cancel.Content.ReadAsStringAsync(ct);
        Assert.True(cancel.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"cancel answered {(int)cancel.StatusCode}: {text}");
        await FalStack.WaitAsync(
            async () => FalStack.Status(await stack.GetVideoAsync(id)),
            status => status == "canceled",
            TimeSpan.FromSeconds(30),
            $"video {id} to end canceled",
            stack);
        var stats = await FalStack.WaitAsync(
            () => stack.FakeFal.StatsAsync(),
            s => CancelsOf(s, requestId) >= 1,
            TimeSpan.FromSeconds(30),
            $"FakeFal to receive the cancel of request {requestId} (video {id})",
            stack);
        Assert.Equal(1, CancelsOf(stats, requestId));
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
    }

    private async Task<string?> JobStateAsync(string id)
    {
        using var response = await stack.Http.GetAsync($"/api/admin/queues/videos/jobs/{id}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return doc.RootElement.GetProperty("state").GetString();
    }

    private static int CancelsOf(JsonElement stats, string requestId) =>
        stats.GetProperty("by_request_id").GetProperty(requestId).TryGetProperty("cancel", out var n) ? n.GetInt32() : 0;
}

/// <summary>
/// fal answers every status call with 429 (Retry-After 10 minutes) and our transport does not retry,
/// so a submitted video's job waits with its generation still running at fal (60 s).
/// </summary>
public sealed class RateLimitedStatusFalStack : FalStack
{
    protected override string[] ServerArgs => ["--VideoGen:Providers:Fal:MaxRetryAttempts=0"];

    protected override (string Key, string Value)[] FakeFalSettings =>
    [
        ("Queue:QueueDelay", "00:00:00.300"),
        ("Queue:InProgress", "00:01:00"),
        ("Faults:Routes:status:RateLimitRate", "1"),
        ("Faults:Routes:status:RetryAfterSeconds", "600"),
    ];
}
