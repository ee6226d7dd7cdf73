using VideoGen.Core.Providers;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Pipeline;

/// <summary>
/// <see cref="IVideoProvider.PrepareAsync"/> (unpaid work such as an image upload) runs before the row says
/// "submitting", so its failures and crashes never look like a submit of unknown outcome.
/// </summary>
public sealed class PipelinePrepareTests
{
    private sealed class SimulatedCrash : Exception;

    /// <summary>The scripted remote provider with a scripted <see cref="PrepareAsync"/>; everything else delegates.</summary>
    private sealed class PreparingProvider(ScriptedProvider inner, Func<ProviderRequest, ProviderRequest> prepare) : IVideoProvider
    {
        public List<VideoStatus> StatusWhilePreparing { get; } = [];

        public Func<VideoStatus>? ReadStatus { get; init; }

        public string Name => inner.Name;

        public bool Serves(string modelId) => inner.Serves(modelId);

        public bool SupportsWebhooks => inner.SupportsWebhooks;

        public string? LocalResultsFolder => inner.LocalResultsFolder;

        public Task<ProviderRequest> PrepareAsync(ProviderRequest request, CancellationToken ct)
        {
            if (ReadStatus is not null)
            {
                StatusWhilePreparing.Add(ReadStatus());
            }
            return Task.FromResult(prepare(request));
        }

        public Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct) => inner.SubmitAsync(request, ct);

        public Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct) => inner.GetStatusAsync(handle, ct);

        public Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct) => inner.GetResultAsync(handle, ct);

        public Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct) => inner.CancelAsync(handle, ct);
    }

    private const string OurUpload = "/media/uploads/0123456789abcdef0123456789abcdef.png";
    private const string Fetchable = "https://cdn.example/files/abc.png";

    [Fact]
    public async Task Run_PreparedRequest_IsWhatIsSubmitted_AndTheRowKeepsTheOriginalImageUrl()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-img", setup: v => v.ImageUrl = OurUpload);
        var inner = h.NewProvider();
        var provider = new PreparingProvider(inner, r => r with { ImageUrl = Fetchable }) { ReadStatus = () => h.Repo.Get("v-img").Status };

        var status = await h.NewPipeline(provider).RunAsync("v-img", h.Job("v-img"), ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(Fetchable, inner.LastRequest!.ImageUrl);
        Assert.Equal(OurUpload, h.Repo.Get("v-img").ImageUrl);
        Assert.Equal([VideoStatus.Queued], provider.StatusWhilePreparing);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_PrepareFailsTransiently_LeavesVideoQueued_AndTheRetrySubmitsOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-up503", setup: v => v.ImageUrl = OurUpload);
        var failing = new PreparingProvider(h.NewProvider(), _ => throw new ProviderException(ProviderErrorKind.Transient, "fal unavailable (HTTP 503) during image upload"));

        await Assert.ThrowsAsync<ProviderException>(() => h.NewPipeline(failing).RunAsync("v-up503", h.Job("v-up503", attempt: 1), ct));
        Assert.Equal(VideoStatus.Queued, h.Repo.Get("v-up503").Status);
        Assert.Equal(0, h.Ledger.Submits);

        var status = await h.NewPipeline(new PreparingProvider(h.NewProvider(), r => r with { ImageUrl = Fetchable })).RunAsync("v-up503", h.Job("v-up503", attempt: 2), ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_WorkerCrashesWhilePreparing_IsNotMistakenForAnUnknownSubmit()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-crash", setup: v => v.ImageUrl = OurUpload);
        var crashing = new PreparingProvider(h.NewProvider(), _ => throw new SimulatedCrash());

        await Assert.ThrowsAsync<SimulatedCrash>(() => h.NewPipeline(crashing).RunAsync("v-crash", h.Job("v-crash", attempt: 1), ct));
        Assert.NotEqual(VideoStatus.Submitting, h.Repo.Get("v-crash").Status);

        var status = await h.NewPipeline(new PreparingProvider(h.NewProvider(), r => r with { ImageUrl = Fetchable })).RunAsync("v-crash", h.Job("v-crash", attempt: 2), ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_PrepareFailsPermanently_FailsTheVideoWithTheReason_WithoutSubmitting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-gone", setup: v => v.ImageUrl = OurUpload);
        var provider = new PreparingProvider(h.NewProvider(), _ => throw new ProviderException(ProviderErrorKind.Permanent, "imageUrl: the uploaded image no longer exists; upload it again.", "image_missing"));

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(provider).RunAsync("v-gone", h.Job("v-gone"), ct));

        var v = h.Repo.Get("v-gone");
        Assert.Equal(VideoStatus.Failed, v.Status);
        Assert.Equal("image_missing", v.ErrorType);
        Assert.Equal("imageUrl: the uploaded image no longer exists; upload it again.", v.Error);
        Assert.Equal(0, h.Ledger.Submits);
    }
}
