using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers.Fal;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Fal;

/// <summary>
/// Issue 11, path 2: once the paid submit is done, transient failures use none of the queue's attempts. Through the
/// real pipeline and <see cref="FalVideoProvider"/> against tools/FakeFal whose status route answers 503: the run is
/// the queue's last attempt, so before the fix the first failed status poll failed the video.
/// </summary>
public sealed class FalPaidWaitPipelineTests(FakeFalServer server) : IClassFixture<FakeFalServer>, IDisposable
{
    /// <summary>fal client: 1 + <c>MaxRetryAttempts</c> status calls per failed poll.</summary>
    private const int StatusCallsPerFailedPoll = 2;
    private const int QueueMaxAttempts = 3;

    private readonly List<IDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StatusDownLongerThanAllAttempts_ThenRecovers_VideoSucceeds_SubmittedOnce()
    {
        await server.ResetAsync(new { faults = new { routes = new { status = new { serverErrorRate = 1.0, serverErrorStatusCodes = new[] { 503 } } } } });
        var (services, repo) = World(deadline: "00:05:00");
        var id = AddVideo(repo);

        var run = RunAsync(services, id, attempt: QueueMaxAttempts);
        // Twice as many failed status polls as all the queue's attempts would have allowed.
        await Eventually.TrueAsync(
            async () => await StatusServerErrorsAsync() >= 2 * QueueMaxAttempts * StatusCallsPerFailedPoll,
            "FakeFal to answer 503 to more status polls than all queue attempts would make",
            TimeSpan.FromSeconds(30));
        var duringOutage = repo.Get(id);
        await ClearStatusFaultsAsync();
        var (status, error) = await run;

        Assert.Null(error);
        Assert.Equal(VideoStatus.InQueue, duringOutage.Status);
        Assert.NotNull(duringOutage.ProviderRequestId);
        Assert.Equal(VideoStatus.Succeeded, status);
        var video = repo.Get(id);
        Assert.Equal(VideoStatus.Succeeded, video.Status);
        Assert.Null(video.ErrorType);
        Assert.Equal(1, await SubmissionsAsync(id));
    }

    [Fact]
    public async Task StatusDownUntilTheDeadline_CancelsAtTheProvider_AndFailsDeadlineExceeded()
    {
        // The generation would take 30 s: at the 3 s deadline it is still running at FakeFal, so the cancel is real.
        await server.ResetAsync(new
        {
            queue = new { inProgress = "00:00:30" },
            faults = new { routes = new { status = new { serverErrorRate = 1.0, serverErrorStatusCodes = new[] { 503 } } } },
        });
        var (services, repo) = World(deadline: "00:00:03");
        var id = AddVideo(repo);

        var (status, error) = await RunAsync(services, id, attempt: 1);

        Assert.IsType<PermanentJobException>(error);
        Assert.Null(status);
        var video = repo.Get(id);
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal("deadline_exceeded", video.ErrorType);
        Assert.NotNull(video.ProviderRequestId);
        Assert.Equal(1, await SubmissionsAsync(id));
        var stats = await server.StatsAsync();
        Assert.Equal(1, stats["by_request_id"]?[video.ProviderRequestId]?["cancel"]?.GetValue<long>());
        Assert.Equal(1, stats["outcomes"]?["canceled"]?.GetValue<long>());
        Assert.True(await StatusServerErrorsAsync() > QueueMaxAttempts * StatusCallsPerFailedPoll, "more failed polls than the queue's attempts");
    }

    private (ServiceProvider Services, InMemoryVideoRepository Repo) World(string deadline)
    {
        var repo = new InMemoryVideoRepository();
        var dir = new TempDir();
        _owned.Add(dir);
        var sp = FalPipelineRuns.Build(repo, dir.Path, server.BaseUrl, server.BaseUrl, new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:RetryBaseDelay"] = "00:00:00.020",
            ["VideoGen:Providers:Fal:MaxRetryAttempts"] = (StatusCallsPerFailedPoll - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VideoGen:Pipeline:PollInterval"] = "00:00:00.050",
            ["VideoGen:Pipeline:MaxPollInterval"] = "00:00:00.200",
            ["VideoGen:Pipeline:Deadline"] = deadline,
        });
        _owned.Add(sp);
        return (sp, repo);
    }

    private static string AddVideo(InMemoryVideoRepository repo) => FalPipelineRuns.AddVideo(repo, "a lighthouse in a storm");

    private static Task<(VideoStatus? Status, Exception? Error)> RunAsync(ServiceProvider services, string id, int attempt) =>
        FalPipelineRuns.RunAsync(services, id, attempt, QueueMaxAttempts, Ct);

    /// <summary>FakeFal answers status polls cleanly again, keeping its requests and counters.</summary>
    private async Task ClearStatusFaultsAsync()
    {
        using var response = await server.Control.PostAsJsonAsync("/_fake/config", new { faults = new { routes = new Dictionary<string, object?> { ["status"] = null } } }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private async Task<long> StatusServerErrorsAsync() =>
        (await server.StatsAsync())["faults"]?["status.server_error"] is JsonNode n ? n.GetValue<long>() : 0;

    private async Task<long> SubmissionsAsync(string videoId) =>
        (await server.StatsAsync())["submissions"]?["by_idempotency_key"]?[videoId] is JsonNode n ? n.GetValue<long>() : 0;

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }
    }
}
