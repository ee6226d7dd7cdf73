using System.Collections.Concurrent;
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

/// <summary>What a verified webhook does, decided in Core: re-attach a lost submit and run its job, then wake the request.</summary>
public sealed class ProviderWebhooksTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly InMemoryVideoRepository _videos = new();
    private readonly RecordingVideoJobs _jobs = new();
    private readonly RecordingSignals _signals = new();
    private readonly ServiceProvider _services;
    private readonly ProviderWebhooks _webhooks;

    public ProviderWebhooksTests()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:Key"] = "test-id:test-secret",
            ["VideoGen:Providers:Fal:BaseUrl"] = "https://queue.example.com",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddFalProvider(config).BuildServiceProvider();
        var registry = new VideoProviderRegistry([_services.GetRequiredService<FalVideoProvider>()]);
        var reattacher = new LostSubmitReattacher(_videos, registry, new FakeTimeProvider(T0), NullLogger<LostSubmitReattacher>.Instance);
        _webhooks = new ProviderWebhooks(reattacher, _jobs, _signals);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accept_ForALostSubmit_ReattachesIt_RunsItsJobAgain_AndWakesTheRequest()
    {
        _videos.Add(LostSubmit("v1"));

        await _webhooks.AcceptAsync(new VerifiedWebhook(FalVideoProvider.ProviderName, "req-1", "v1"), Ct);

        Assert.Equal((VideoStatus.InQueue, "req-1"), (_videos.Get("v1").Status, _videos.Get("v1").ProviderRequestId));
        Assert.Equal(new[] { ("v1", true) }, _jobs.RunAgain);
        Assert.Equal(new[] { "req-1" }, _signals.Signalled);
    }

    [Fact]
    public async Task Accept_Repeated_RunsTheAlreadyReattachedJobAgain_WithoutWaitingForAnActiveOne()
    {
        _videos.Add(LostSubmit("v1"));
        await _webhooks.AcceptAsync(new VerifiedWebhook(FalVideoProvider.ProviderName, "req-1", "v1"), Ct);

        await _webhooks.AcceptAsync(new VerifiedWebhook(FalVideoProvider.ProviderName, "req-1", "v1"), Ct);

        Assert.Equal(new[] { ("v1", true), ("v1", false) }, _jobs.RunAgain);
        Assert.Equal(new[] { "req-1", "req-1" }, _signals.Signalled);
    }

    [Fact]
    public async Task Accept_WithoutAVideo_OnlyWakesTheRequest()
    {
        _videos.Add(LostSubmit("v1"));

        await _webhooks.AcceptAsync(new VerifiedWebhook(FalVideoProvider.ProviderName, "req-1", null), Ct);

        Assert.Equal(VideoStatus.Failed, _videos.Get("v1").Status);
        Assert.Empty(_jobs.RunAgain);
        Assert.Equal(new[] { "req-1" }, _signals.Signalled);
    }

    [Fact]
    public async Task Accept_ForAVideoThatIsNotALostSubmit_RunsNoJob_AndWakesTheRequest()
    {
        var video = LostSubmit("v1");
        video.ErrorType = "provider_error";
        _videos.Add(video);

        await _webhooks.AcceptAsync(new VerifiedWebhook(FalVideoProvider.ProviderName, "req-1", "v1"), Ct);

        Assert.Equal(VideoStatus.Failed, _videos.Get("v1").Status);
        Assert.Empty(_jobs.RunAgain);
        Assert.Equal(new[] { "req-1" }, _signals.Signalled);
    }

    public void Dispose() => _services.Dispose();

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

    private sealed class RecordingSignals : IProviderSignals
    {
        public ConcurrentQueue<string> Signalled { get; } = new();

        public Task WaitAsync(string requestId, TimeSpan timeout, CancellationToken ct) => Task.CompletedTask;

        public Task SignalAsync(string requestId, CancellationToken ct)
        {
            Signalled.Enqueue(requestId);
            return Task.CompletedTask;
        }
    }
}
