using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Fal;

/// <summary>
/// Issue 11, path 6, through the real pipeline and <see cref="FalVideoProvider"/> against tools/FakeFal: a submit whose
/// answer was lost becomes <c>submit_unconfirmed</c> and is resolved — by fal's request list (the lookup) when the
/// request exists, or by one more submit once <c>SubmitUnconfirmedWindow</c> passed without proof — and a submit that
/// was never sent (a worker killed between marking the row and sending) succeeds with exactly one submission. Each run
/// is made as the queue makes it: a run that asks to look again later (<see cref="RetryAfterException"/>) is run again
/// after that delay, as the same attempt. The webhook's part is in the server's end-to-end tests.
/// </summary>
public sealed class FalUnconfirmedSubmitPipelineTests(FakeFalServer server) : IClassFixture<FakeFalServer>, IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledBetweenMarkingSubmittingAndSending_SucceedsAfterTheWindow_WithExactlyOneSubmission()
    {
        await server.ResetAsync();
        var (services, repo) = World(window: "00:00:02", lookup: true);
        var id = FalPipelineRuns.AddVideo(repo, "a heron at dawn");
        // What a worker SIGKILLed right after saving "submitting" leaves behind: nothing reached FakeFal.
        repo.Update(id, v => { v.Status = VideoStatus.Submitting; v.Provider = FalVideoProvider.ProviderName; v.SubmitStartedAt = TimeProvider.System.GetUtcNow(); });

        var (status, looks) = await RunUntilSettledAsync(services, id, TimeSpan.FromSeconds(30));

        var video = repo.Get(id);
        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.True(looks >= 2, $"resolved after {looks} run(s): expected it to wait for the window first");
        Assert.NotNull(video.ResubmittedAt);
        Assert.Equal(1, await SubmissionsAsync(id));
    }

    [Fact]
    public async Task AcceptedThenDropped_PollingOnly_IsResolvedByFalsRequestList_WithOneSubmission()
    {
        await server.ResetAsync(SubmitFaults(new { dropRate = 1.0 }));
        var (services, repo) = World(window: "01:00:00", lookup: true);
        var id = FalPipelineRuns.AddVideo(repo, "a kite over dunes");

        var first = await FalPipelineRuns.RunAsync(services, id, 1, 3, Ct);
        var afterFirst = repo.Get(id);
        await ClearSubmitFaultsAsync();
        var (status, _) = await RunUntilSettledAsync(services, id, TimeSpan.FromSeconds(30));

        var video = repo.Get(id);
        Assert.IsType<RetryAfterException>(first.Error);
        Assert.Equal(VideoStatus.SubmitUnconfirmed, afterFirst.Status);
        Assert.Null(afterFirst.ProviderRequestId);
        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Null(video.ResubmittedAt);
        Assert.Equal(await RequestIdAsync(id), video.ProviderRequestId);
        Assert.Equal(1, await SubmissionsAsync(id));
        Assert.True((await server.StatsAsync())["calls"]?["lookup"]?.GetValue<long>() >= 1, "the lookup was never asked");
    }

    [Fact]
    public async Task AcceptedThenDropped_NoWebhookNoLookup_IsSubmittedAgainOnceAfterTheWindow_TheResidualRisk()
    {
        // Polling only and no lookup: nothing can prove fal has the request, so after the window it is sent again —
        // here fal had accepted it, so it is paid twice (the documented residual risk of that configuration).
        await server.ResetAsync(SubmitFaults(new { dropRate = 1.0 }));
        var (services, repo) = World(window: "00:00:02", lookup: false);
        var id = FalPipelineRuns.AddVideo(repo, "a tram in the rain");

        await FalPipelineRuns.RunAsync(services, id, 1, 3, Ct);
        await ClearSubmitFaultsAsync();
        var (status, _) = await RunUntilSettledAsync(services, id, TimeSpan.FromSeconds(30));

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.NotNull(repo.Get(id).ResubmittedAt);
        Assert.Equal(2, await SubmissionsAsync(id));
    }

    [Fact]
    public async Task ServerErrorWithoutAccepting_NoWebhookNoLookup_IsSubmittedAgainAfterTheWindow_WithOneSubmission()
    {
        await server.ResetAsync(SubmitFaults(new { serverErrorRate = 1.0, serverErrorStatusCodes = new[] { 503 } }));
        var (services, repo) = World(window: "00:00:02", lookup: false);
        var id = FalPipelineRuns.AddVideo(repo, "a lantern festival");

        var first = await FalPipelineRuns.RunAsync(services, id, 1, 3, Ct);
        await ClearSubmitFaultsAsync();
        var (status, _) = await RunUntilSettledAsync(services, id, TimeSpan.FromSeconds(30));

        Assert.IsType<RetryAfterException>(first.Error);
        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, await SubmissionsAsync(id));
    }

    [Fact]
    public async Task EverySubmitDropped_FailsAfterTheSecondWindow_NeverAThirdSubmission()
    {
        await server.ResetAsync(SubmitFaults(new { dropRate = 1.0 }));
        var (services, repo) = World(window: "00:00:01", lookup: false);
        var id = FalPipelineRuns.AddVideo(repo, "a glacier calving");

        var (status, _) = await RunUntilSettledAsync(services, id, TimeSpan.FromSeconds(30));

        var video = repo.Get(id);
        Assert.Equal(VideoStatus.Failed, status);
        Assert.Equal(ProviderErrorTypes.SubmitOutcomeUnknown, video.ErrorType);
        Assert.NotNull(video.ResubmittedAt);
        Assert.Equal(2, await SubmissionsAsync(id));
    }

    /// <summary>Runs the video as the queue would (attempt 1, again after each requested delay) until it is terminal.</summary>
    private static async Task<(VideoStatus Status, int Runs)> RunUntilSettledAsync(Microsoft.Extensions.DependencyInjection.ServiceProvider services, string id, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        for (var runs = 1; ; runs++)
        {
            var (status, error) = await FalPipelineRuns.RunAsync(services, id, 1, 3, Ct);
            if (status is { } done && done.IsTerminal())
            {
                return (done, runs);
            }
            if (error is PermanentJobException)
            {
                return (VideoStatus.Failed, runs);
            }
            Assert.True(watch.Elapsed < timeout, $"video {id} did not settle within {timeout} ({runs} runs; last: {status?.ToWire()} {error})");
            await Task.Delay(error is RetryAfterException retry ? retry.Delay : TimeSpan.FromMilliseconds(200), Ct);
        }
    }

    private static object SubmitFaults(object submit) => new { faults = new { routes = new { submit } } };

    private async Task ClearSubmitFaultsAsync()
    {
        using var response = await server.Control.PostAsJsonAsync("/_fake/config", new { faults = new { routes = new Dictionary<string, object?> { ["submit"] = null } } }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private (Microsoft.Extensions.DependencyInjection.ServiceProvider Services, InMemoryVideoRepository Repo) World(string window, bool lookup)
    {
        var repo = new InMemoryVideoRepository();
        var dir = new TempDir();
        _owned.Add(dir);
        var sp = FalPipelineRuns.Build(repo, dir.Path, server.BaseUrl, server.BaseUrl, new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:RetryBaseDelay"] = "00:00:00.050",
            ["VideoGen:Providers:Fal:AttemptTimeout"] = "00:00:05",
            ["VideoGen:Providers:Fal:PlatformBaseUrl"] = new Uri(server.BaseUrl, "/v1").ToString(),
            ["VideoGen:Providers:Fal:FindLostSubmits"] = lookup ? "true" : "false",
            ["VideoGen:Pipeline:PollInterval"] = "00:00:00.100",
            ["VideoGen:Pipeline:MaxPollInterval"] = "00:00:00.300",
            ["VideoGen:Pipeline:SubmitUnconfirmedWindow"] = window,
            ["VideoGen:Pipeline:SubmitUnconfirmedRecheckInterval"] = "00:00:00.300",
        });
        _owned.Add(sp);
        return (sp, repo);
    }

    private async Task<long> SubmissionsAsync(string videoId) =>
        (await server.StatsAsync())["submissions"]?["by_idempotency_key"]?[videoId] is JsonNode n ? n.GetValue<long>() : 0;

    private async Task<string?> RequestIdAsync(string videoId) =>
        (await server.StatsAsync())["by_request_id"]?.AsObject()
            .FirstOrDefault(r => r.Value?["idempotency_key"]?.GetValue<string>() == videoId).Key;

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }
}
