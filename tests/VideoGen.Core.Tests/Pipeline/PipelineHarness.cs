using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Models;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Pipeline;

/// <summary>One test's world: repository, media store, a sample result under the local work dir, and pipelines over a chosen provider.</summary>
public sealed class PipelineHarness : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<IDisposable> _owned = [];

    private PipelineHarness()
    {
        Store = new LocalFolderMediaStore(_dir.Sub("media"));
        WorkDir = _dir.Sub("work");
        SamplePath = Path.Combine(WorkDir, "remote", "result.mp4");
    }

    public InMemoryVideoRepository Repo { get; } = new();
    public LocalFolderMediaStore Store { get; }
    public string WorkDir { get; }
    public string SamplePath { get; }
    public Uri SampleUrl => new(SamplePath);
    public ProviderLedger Ledger { get; } = new();
    public List<string> Progress { get; } = [];

    /// <summary><c>VideoGen:PublicBaseUrl</c> as the pipeline sees it (none unless a test sets it).</summary>
    public PublicUrlOptions PublicUrls { get; } = new();

    /// <summary>The webhook URL tokens, with a secret generated into this harness's folder.</summary>
    public WebhookTokens WebhookTokens => field ??= new WebhookTokens(Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), Path.Combine(WorkDir, "webhook-secret"));

    /// <summary>The pipelines' clock (a test may put a <c>FakeTimeProvider</c> here before building them).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public PipelineOptions Options { get; } = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(5),
        MaxPollInterval = TimeSpan.FromMilliseconds(20),
        Deadline = TimeSpan.FromMinutes(5),

        // These tests drive one run and expect it to end; parking is tested on its own (VideoPipelineParkingTests)
        // and through the real queue (the server's tests).
        ParkWhileWaiting = false,
    };

    public static async Task<PipelineHarness> CreateAsync()
    {
        var h = new PipelineHarness();
        await Tools.MakeSampleMp4Async(h.SamplePath, TestContext.Current.CancellationToken);
        return h;
    }

    /// <summary>A fresh provider instance sharing this harness's ledger (a new worker talks to the same remote provider).</summary>
    public ScriptedProvider NewProvider() => new(Ledger, SampleUrl) { LocalResultsFolder = WorkDir };

    /// <summary>A fresh pipeline, as a new worker process would build it.</summary>
    public VideoPipeline NewPipeline(IVideoProvider provider)
    {
        var ingestor = Tools.Ingestor(Store);
        _owned.Add(ingestor);
        var remote = new ModelInfo { Id = ScriptedProvider.ModelId, Provider = "remote", DisplayName = "Remote (test)" };
        return new VideoPipeline(
            Repo,
            new ModelCatalog([new LocalModelSource(), new StaticModels(remote)]),
            new VideoProviderRegistry([provider]),
            ingestor,
            new PollingOnlySignals(TimeProvider.System),
            new SubmitThrottle(Options.MaxConcurrentSubmits),
            Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(PublicUrls),
            WebhookTokens,
            Time,
            NullLogger<VideoPipeline>.Instance);
    }

    public Video AddVideo(string id, string model = ScriptedProvider.ModelId, Action<Video>? setup = null)
    {
        var v = new Video { Id = id, Prompt = "a fox in the snow", Model = model, CreatedAt = TimeProvider.System.GetUtcNow() };
        setup?.Invoke(v);
        Repo.Add(v);
        return v;
    }

    public JobContext Job(string id, int attempt = 1, int maxAttempts = 3) => new(
        new ClaimedJob
        {
            Id = id,
            Payload = id,
            LeaseToken = "lease",
            LeaseExpiresAt = TimeProvider.System.GetUtcNow().AddMinutes(1),
            Attempt = attempt,
            MaxAttempts = maxAttempts,
        },
        "videos",
        (json, _) =>
        {
            lock (Progress)
            {
                Progress.Add(json);
            }
            return Task.FromResult(true);
        });

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }
        _dir.Dispose();
    }

    private sealed class StaticModels(params ModelInfo[] models) : IModelSource
    {
        public IEnumerable<ModelInfo> Models => models;
    }
}
