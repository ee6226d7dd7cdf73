using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Pipeline;

/// <summary>Issue 13: a video waiting at the provider parks its job instead of holding a handler.</summary>
public sealed class VideoPipelineParkingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_AfterThePaidSubmit_ParksWithoutACheck_ThenEachRunChecksOnce_UntilTheResult()
    {
        using var h = await ParkingHarnessAsync();
        h.AddVideo("v-park");
        var provider = h.NewProvider();
        provider.OnStatus = n => n <= 2 ? new ProviderStatus(ProviderPhase.InQueue, QueuePosition: 3 - n) : new ProviderStatus(ProviderPhase.Completed);
        var pipeline = h.NewPipeline(provider);

        var first = await Assert.ThrowsAsync<VideoParkedException>(() => pipeline.RunAsync("v-park", h.Job("v-park"), Ct));
        Assert.IsAssignableFrom<RetryAfterException>(first);
        Assert.Equal(VideoStatus.InQueue, h.Repo.Get("v-park").Status);
        Assert.Equal("req-1", h.Repo.Get("v-park").ProviderRequestId);
        Assert.Empty(h.Ledger.StatusRequests);

        await Assert.ThrowsAsync<VideoParkedException>(() => h.NewPipeline(provider).RunAsync("v-park", h.Job("v-park"), Ct));
        Assert.Equal(2, h.Repo.Get("v-park").QueuePosition);
        await Assert.ThrowsAsync<VideoParkedException>(() => h.NewPipeline(provider).RunAsync("v-park", h.Job("v-park"), Ct));
        Assert.Equal(1, h.Repo.Get("v-park").QueuePosition);
        var status = await h.NewPipeline(provider).RunAsync("v-park", h.Job("v-park"), Ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(3, h.Ledger.StatusRequests.Count);
        Assert.Equal(1, h.Ledger.Submits);
        Assert.Equal(1, h.Repo.Get("v-park").Attempts);
    }

    [Fact]
    public async Task Park_WithWebhooksOn_WaitsTheBackstopInterval()
    {
        using var h = await ParkingHarnessAsync();
        h.PublicUrls.PublicBaseUrl = new Uri("https://videogen.example/");
        h.Options.WebhookBackstopInterval = TimeSpan.FromMinutes(2);
        h.AddVideo("v-hook");

        var parked = await Assert.ThrowsAsync<VideoParkedException>(() => h.NewPipeline(h.NewProvider()).RunAsync("v-hook", h.Job("v-hook"), Ct));

        // ±20 % jitter (PollJitter) around the backstop.
        Assert.InRange(parked.Delay, TimeSpan.FromSeconds(96), TimeSpan.FromSeconds(144));
    }

    [Fact]
    public async Task Park_PollingOnly_FollowsThePollInterval_GrowingWithTheTimeSinceTheSubmit()
    {
        using var h = await ParkingHarnessAsync();
        h.Options.PollInterval = TimeSpan.FromSeconds(1);
        h.Options.MaxPollInterval = TimeSpan.FromSeconds(15);
        h.Options.Deadline = TimeSpan.FromHours(1);
        h.AddVideo("v-new");
        h.AddVideo("v-old", setup: v => Submitted(v, TimeSpan.FromMinutes(10)));
        var provider = h.NewProvider();
        provider.OnStatus = _ => new ProviderStatus(ProviderPhase.InProgress, Progress: 0.5);

        var fresh = await Assert.ThrowsAsync<VideoParkedException>(() => h.NewPipeline(provider).RunAsync("v-new", h.Job("v-new"), Ct));
        var old = await Assert.ThrowsAsync<VideoParkedException>(() => h.NewPipeline(provider).RunAsync("v-old", h.Job("v-old"), Ct));

        Assert.InRange(fresh.Delay, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.InRange(old.Delay, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(18));
        Assert.Equal(VideoStatus.Generating, h.Repo.Get("v-old").Status);
    }

    [Fact]
    public async Task Park_NeverWaitsPastTheDeadline_AndTheRunAfterItCancelsAtTheProvider()
    {
        using var h = await ParkingHarnessAsync();
        h.Options.Deadline = TimeSpan.FromMinutes(5);
        h.Options.PollInterval = TimeSpan.FromSeconds(10);
        h.Options.MaxPollInterval = TimeSpan.FromSeconds(30);
        h.AddVideo("v-late", setup: v => Submitted(v, TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(3)));
        var provider = h.NewProvider();
        provider.OnStatus = _ => new ProviderStatus(ProviderPhase.InQueue, QueuePosition: 9);

        var parked = await Assert.ThrowsAsync<VideoParkedException>(() => h.NewPipeline(provider).RunAsync("v-late", h.Job("v-late"), Ct));
        Assert.True(parked.Delay <= TimeSpan.FromSeconds(3), $"parked for {parked.Delay}, past the deadline");
        await Task.Delay(parked.Delay + TimeSpan.FromMilliseconds(50), Ct);

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(provider).RunAsync("v-late", h.Job("v-late"), Ct));
        var v = h.Repo.Get("v-late");
        Assert.Equal(VideoStatus.Failed, v.Status);
        Assert.Equal("deadline_exceeded", v.ErrorType);
        Assert.Equal(["req-old"], h.Ledger.Cancels);
    }

    [Fact]
    public async Task Run_WithoutAJob_StillPollsInPlace_ToTheEnd()
    {
        using var h = await ParkingHarnessAsync();
        h.AddVideo("v-cli");
        var provider = h.NewProvider();
        provider.OnStatus = n => n <= 2 ? new ProviderStatus(ProviderPhase.InQueue) : new ProviderStatus(ProviderPhase.Completed);

        Assert.Equal(VideoStatus.Succeeded, await h.NewPipeline(provider).RunAsync("v-cli", null, Ct));
        Assert.Equal(3, h.Ledger.StatusRequests.Count);
    }

    private static async Task<PipelineHarness> ParkingHarnessAsync()
    {
        var h = await PipelineHarness.CreateAsync();
        h.Options.ParkWhileWaiting = true;
        return h;
    }

    private static void Submitted(Video v, TimeSpan ago)
    {
        v.Provider = "remote";
        v.ProviderRequestId = "req-old";
        v.ProviderStatusUrl = "https://queue.example/requests/req-old/status";
        v.Status = VideoStatus.InQueue;
        v.SubmittedAt = TimeProvider.System.GetUtcNow() - ago;
        v.UpdatedAt = v.SubmittedAt.Value;
    }
}
