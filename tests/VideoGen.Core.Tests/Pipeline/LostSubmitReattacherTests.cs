using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Tests.Pipeline;

/// <summary>Only a video whose submit answer was lost (unconfirmed, left submitting, or failed for it) is re-attached to the request a webhook reports.</summary>
public sealed class LostSubmitReattacherTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly InMemoryVideoRepository _videos = new();
    private readonly ServiceProvider _services;
    private readonly LostSubmitReattacher _reattacher;

    public LostSubmitReattacherTests()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:Key"] = "test-id:test-secret",
            ["VideoGen:Providers:Fal:BaseUrl"] = "https://queue.example.com",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddFalProvider(config).BuildServiceProvider();
        var registry = new VideoProviderRegistry([_services.GetRequiredService<FalVideoProvider>()]);
        _reattacher = new LostSubmitReattacher(_videos, registry, new FakeTimeProvider(T0), NullLogger<LostSubmitReattacher>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LostSubmit_IsReattached_WithFalsQueueUrls_AndBackInQueue()
    {
        _videos.Add(LostSubmit("v1"));

        var reattached = await _reattacher.TryReattachAsync("v1", FalVideoProvider.ProviderName, "req-123_abc", Ct);

        Assert.True(reattached is { Fresh: true }, "re-attached now");
        var stored = _videos.Get("v1");
        Assert.Equal((VideoStatus.InQueue, "fal", "req-123_abc", null, null, null), (stored.Status, stored.Provider, stored.ProviderRequestId, stored.Error, stored.ErrorType, stored.CompletedAt));
        Assert.Equal(
            ("https://queue.example.com/fal-ai/kling-video/requests/req-123_abc/status", "https://queue.example.com/fal-ai/kling-video/requests/req-123_abc", "https://queue.example.com/fal-ai/kling-video/requests/req-123_abc/cancel"),
            (stored.ProviderStatusUrl, stored.ProviderResponseUrl, stored.ProviderCancelUrl));
    }

    [Theory]
    [InlineData(VideoStatus.SubmitUnconfirmed)]
    [InlineData(VideoStatus.Submitting)]
    public async Task UnconfirmedOrMidSubmit_IsReattached_ItsDeadlineCountedFromNow(VideoStatus status)
    {
        var started = T0.AddMinutes(-3);
        _videos.Add(LostSubmit("v1", v => { v.Status = status; v.Error = null; v.ErrorType = null; v.CompletedAt = null; v.SubmitStartedAt = started; }));

        var reattached = await _reattacher.TryReattachAsync("v1", FalVideoProvider.ProviderName, "req-9", Ct);

        Assert.True(reattached is { Fresh: true }, "re-attached now");
        var stored = _videos.Get("v1");
        Assert.Equal((VideoStatus.InQueue, "req-9", T0, started), (stored.Status, stored.ProviderRequestId, stored.SubmittedAt, stored.SubmitStartedAt));
    }

    [Fact]
    public async Task RepeatedWebhook_ForTheSameRequest_ReturnsTheVideoAgainUnchanged_ForItsJobToRun()
    {
        _videos.Add(LostSubmit("v1"));
        await _reattacher.TryReattachAsync("v1", FalVideoProvider.ProviderName, "req-1", Ct);
        var saved = System.Text.Json.JsonSerializer.Serialize(_videos.Get("v1"));

        var again = await _reattacher.TryReattachAsync("v1", FalVideoProvider.ProviderName, "req-1", Ct);
        var otherRequest = await _reattacher.TryReattachAsync("v1", FalVideoProvider.ProviderName, "req-2", Ct);

        Assert.True(again is { Fresh: false }, "returned again, not re-attached anew");
        Assert.Null(otherRequest);
        Assert.Equal(saved, System.Text.Json.JsonSerializer.Serialize(_videos.Get("v1")));
    }

    [Fact]
    public async Task RequestHeldByAnotherVideo_IsRefused_AndNothingChanges()
    {
        var owner = LostSubmit("v-owner");
        owner.Status = VideoStatus.InQueue;
        owner.Provider = FalVideoProvider.ProviderName;
        owner.ProviderRequestId = "req-owned";
        owner.ErrorType = null;
        _videos.Add(owner);
        _videos.Add(LostSubmit("v-victim"));
        var before = (System.Text.Json.JsonSerializer.Serialize(_videos.Get("v-owner")), System.Text.Json.JsonSerializer.Serialize(_videos.Get("v-victim")));

        var reattached = await _reattacher.TryReattachAsync("v-victim", FalVideoProvider.ProviderName, "req-owned", Ct);

        Assert.Null(reattached);
        Assert.Equal(before, (System.Text.Json.JsonSerializer.Serialize(_videos.Get("v-owner")), System.Text.Json.JsonSerializer.Serialize(_videos.Get("v-victim"))));
        Assert.Empty(_videos.History);
    }

    public static TheoryData<string> NotLostSubmits => ["has-request", "other-failure", "cancel-requested", "succeeded", "other-provider"];

    [Theory]
    [MemberData(nameof(NotLostSubmits))]
    public async Task AnyOtherVideo_IsLeftAlone(string kind)
    {
        var video = LostSubmit("v1");
        switch (kind)
        {
            case "has-request": video.ProviderRequestId = "req-1"; break;
            case "other-failure": video.ErrorType = "provider_error"; break;
            case "cancel-requested": video.CancelRequestedAt = T0; break;
            case "succeeded": video.Status = VideoStatus.Succeeded; video.ErrorType = null; break;
            default: video.Provider = "other"; break;
        }

        _videos.Add(video);
        var before = System.Text.Json.JsonSerializer.Serialize(_videos.Get("v1"));

        Assert.Null(await _reattacher.TryReattachAsync("v1", FalVideoProvider.ProviderName, "req-2", Ct));
        Assert.Equal(before, System.Text.Json.JsonSerializer.Serialize(_videos.Get("v1")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../admin")]
    [InlineData("req id")]
    public async Task RequestIdsThatCannotBeFollowed_AreRefused(string requestId)
    {
        _videos.Add(LostSubmit("v1"));

        Assert.Null(await _reattacher.TryReattachAsync("v1", FalVideoProvider.ProviderName, requestId, Ct));
        Assert.Equal(VideoStatus.Failed, _videos.Get("v1").Status);
    }

    [Fact]
    public async Task UnknownVideo_IsRefused() =>
        Assert.Null(await _reattacher.TryReattachAsync("nope", FalVideoProvider.ProviderName, "req-1", Ct));

    public void Dispose() => _services.Dispose();

    private static Video LostSubmit(string id, Action<Video> change)
    {
        var video = LostSubmit(id);
        change(video);
        return video;
    }

    private static Video LostSubmit(string id) => new()
    {
        Id = id,
        Prompt = "a fox",
        Model = FalModelCatalog.KlingTextToVideo,
        Provider = FalVideoProvider.ProviderName,
        Status = VideoStatus.Failed,
        Error = "fal submit outcome unknown",
        ErrorType = ProviderErrorTypes.SubmitOutcomeUnknown,
        CompletedAt = T0,
        CreatedAt = T0,
        UpdatedAt = T0,
    };
}
