using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Fal;

/// <summary>
/// Issue 11, path 1: one test per row of the submit-answer table (src/VideoGen.Core/Providers/Fal/README.md),
/// through the real pipeline and <see cref="FalVideoProvider"/> against tools/FakeFal injecting that answer. Each
/// checks the video's state and FakeFal's submission count, which is never 2 for one video: an answer that does
/// not prove "nothing was created" leaves the video <c>submit_unconfirmed</c> and a later run within the window (a
/// queue retry) does not send it again (how it is resolved: <see cref="FalUnconfirmedSubmitPipelineTests"/>).
/// </summary>
public sealed class FalSubmitAnswersPipelineTests(FakeFalServer server) : IClassFixture<FakeFalServer>, IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<int, string> AcceptedThenServerError => new()
    {
        { 500, "json" }, { 502, "json" }, { 503, "json" },
        { 520, "html" }, { 521, "html" }, { 522, "html" }, { 523, "html" }, { 524, "html" },
        { 502, "html" },
    };

    [Theory]
    [MemberData(nameof(AcceptedThenServerError))]
    public async Task AcceptedThenServerError_IsOutcomeUnknown_SubmittedOnce(int status, string body)
    {
        await server.ResetAsync(SubmitFaults(new { serverErrorRate = 1.0, serverErrorStatusCodes = new[] { status }, serverErrorBody = body, serverErrorAfterAccept = true }));

        await AssertOutcomeUnknownAsync(expectedSubmissions: 1);
    }

    [Fact]
    public async Task ConnectionResetAfterAccept_IsOutcomeUnknown_SubmittedOnce()
    {
        await server.ResetAsync(SubmitFaults(new { dropRate = 1.0 }));

        await AssertOutcomeUnknownAsync(expectedSubmissions: 1);
    }

    [Fact]
    public async Task TimeoutAfterAccept_IsOutcomeUnknown_SubmittedOnce()
    {
        await server.ResetAsync(SubmitFaults(new { stallRate = 1.0, stallDelay = "00:00:30" }));

        await AssertOutcomeUnknownAsync(expectedSubmissions: 1, attemptTimeout: "00:00:01.500");
    }

    [Fact]
    public async Task UnreadableAcceptance_IsOutcomeUnknown_SubmittedOnce()
    {
        await server.ResetAsync(SubmitFaults(new { malformedJsonRate = 1.0 }));

        await AssertOutcomeUnknownAsync(expectedSubmissions: 1);
    }

    [Fact]
    public async Task ServerErrorWithoutAccepting_IsStillOutcomeUnknown_NothingSubmitted()
    {
        // Nothing was created, but a 5xx looks the same as a gateway's answer after acceptance: the price of never
        // paying twice is that this video waits for its window before it is sent again (FalUnconfirmedSubmitPipelineTests).
        await server.ResetAsync(SubmitFaults(new { serverErrorRate = 1.0, serverErrorStatusCodes = new[] { 503 } }));

        await AssertOutcomeUnknownAsync(expectedSubmissions: 0);
    }

    [Fact]
    public async Task FalsRateLimitRefusal_PutsTheVideoBackInQueue_AndTheRetrySubmitsOnce()
    {
        await server.ResetAsync(SubmitFaults(new { rateLimitRate = 1.0, retryAfterSeconds = 2 }));
        var (services, repo) = World(server.BaseUrl);
        var id = AddVideo(repo);

        var first = await RunAsync(services, id, attempt: 1);
        var afterRefusal = repo.Get(id);
        var submissionsAfterRefusal = await SubmissionsAsync(id);
        await ClearSubmitFaultsAsync();
        var second = await RunAsync(services, id, attempt: 2);

        var retry = Assert.IsType<RetryAfterException>(first.Error);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.Delay);
        Assert.Equal(VideoStatus.Queued, afterRefusal.Status);
        Assert.Null(afterRefusal.ProviderRequestId);
        Assert.Equal(0, submissionsAfterRefusal);
        Assert.Null(second.Error);
        Assert.Equal(VideoStatus.Succeeded, second.Status);
        Assert.Equal(VideoStatus.Succeeded, repo.Get(id).Status);
        Assert.Equal(1, await SubmissionsAsync(id));
    }

    [Fact]
    public async Task FalsValidationRefusal_FailsTheVideoWithFalsReason_NothingSubmitted()
    {
        await server.ResetAsync(new { faults = new { validationErrorRate = 1.0 } });
        var (services, repo) = World(server.BaseUrl);
        var id = AddVideo(repo);

        var run = await RunAsync(services, id, attempt: 1);

        var video = repo.Get(id);
        Assert.IsType<PermanentJobException>(run.Error);
        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal("value_error", video.ErrorType);
        Assert.Equal("prompt: Input failed validation (injected by FakeFal).", video.Error);
        Assert.Equal(0, await SubmissionsAsync(id));
    }

    [Fact]
    public async Task NeverSent_ConnectionRefused_IsRetriedLater_AndSubmittedOnce()
    {
        await server.ResetAsync();
        var (nowhere, repo) = World(new Uri($"http://127.0.0.1:{LoopbackPort.Free()}"));
        var id = AddVideo(repo);

        var first = await RunAsync(nowhere, id, attempt: 1);
        var afterFailure = repo.Get(id);
        var (services, _) = World(server.BaseUrl, repo);
        var second = await RunAsync(services, id, attempt: 2);

        var error = Assert.IsType<ProviderException>(first.Error);
        Assert.Equal(ProviderErrorKind.Transient, error.Kind);
        Assert.Equal(VideoStatus.Queued, afterFailure.Status);
        Assert.Equal(VideoStatus.Succeeded, second.Status);
        Assert.Equal(1, await SubmissionsAsync(id));
    }

    /// <summary>
    /// The first run leaves the video <c>submit_unconfirmed</c> and asks to look again later; a second run (the queue's
    /// retry, with FakeFal answering cleanly again) within the window sends nothing. FakeFal counts
    /// <paramref name="expectedSubmissions"/>.
    /// </summary>
    private async Task AssertOutcomeUnknownAsync(int expectedSubmissions, string attemptTimeout = "00:00:05")
    {
        var (services, repo) = World(server.BaseUrl, attemptTimeout: attemptTimeout);
        var id = AddVideo(repo);

        var first = await RunAsync(services, id, attempt: 1);
        var afterFirst = repo.Get(id);
        var submissionsAfterFirst = await SubmissionsAsync(id);
        await ClearSubmitFaultsAsync();
        var second = await RunAsync(services, id, attempt: 2);

        Assert.IsType<RetryAfterException>(first.Error);
        Assert.Equal(VideoStatus.SubmitUnconfirmed, afterFirst.Status);
        Assert.Null(afterFirst.ErrorType);
        Assert.Null(afterFirst.ProviderRequestId);
        Assert.Equal(expectedSubmissions, submissionsAfterFirst);
        Assert.IsType<RetryAfterException>(second.Error);
        Assert.Equal(VideoStatus.SubmitUnconfirmed, repo.Get(id).Status);
        Assert.Null(repo.Get(id).ResubmittedAt);
        Assert.Equal(expectedSubmissions, await SubmissionsAsync(id));
    }

    private static object SubmitFaults(object submit) => new { faults = new { routes = new { submit } } };

    /// <summary>FakeFal answers submits cleanly again, keeping its requests and counters.</summary>
    private async Task ClearSubmitFaultsAsync()
    {
        using var response = await server.Control.PostAsJsonAsync("/_fake/config", new { faults = new { routes = new Dictionary<string, object?> { ["submit"] = null } } }, Ct);
        response.EnsureSuccessStatusCode();
    }

    private (ServiceProvider Services, InMemoryVideoRepository Repo) World(Uri falBaseUrl, InMemoryVideoRepository? repo = null, string attemptTimeout = "00:00:05")
    {
        repo ??= new InMemoryVideoRepository();
        var dir = new TempDir();
        _owned.Add(dir);
        var sp = FalPipelineRuns.Build(repo, dir.Path, falBaseUrl, server.BaseUrl, new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:RetryBaseDelay"] = "00:00:00.050",
            ["VideoGen:Providers:Fal:AttemptTimeout"] = attemptTimeout,
            ["VideoGen:Pipeline:PollInterval"] = "00:00:00.100",
            ["VideoGen:Pipeline:MaxPollInterval"] = "00:00:00.300",
            // Resolving an unconfirmed submit is FalUnconfirmedSubmitPipelineTests' subject; here it stays unconfirmed.
            ["VideoGen:Providers:Fal:FindLostSubmits"] = "false",
        });
        _owned.Add(sp);
        return (sp, repo);
    }

    private static string AddVideo(InMemoryVideoRepository repo) => FalPipelineRuns.AddVideo(repo, "a red fox in snow");

    private static Task<(VideoStatus? Status, Exception? Error)> RunAsync(ServiceProvider services, string id, int attempt) =>
        FalPipelineRuns.RunAsync(services, id, attempt, 3, Ct);

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
