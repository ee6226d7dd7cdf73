using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// DESIGN promise 5, "cancel reaches the provider", when no worker holds the job: a video whose
/// generation is running at the provider while its job waits between attempts is canceled at once
/// by the API, and the provider is still told to stop — by the API, or by the reconciler when that fails.
/// </summary>
public sealed class CancelReachesProviderTests : IAsyncLifetime
{
    private const string RequestId = "req-at-provider";
    private const string CancelUrl = "https://provider.invalid/requests/req-at-provider/cancel";

    private readonly VideoGenFactory _factory = new()
    {
        // No workers: jobs stay waiting, as between retries. The reconciler's timer never fires
        // during a test, so the passes the tests run are the only ones.
        WorkersEnabled = false,
        Settings = { ["VideoGen:Queue:ReconcileInterval"] = "1.00:00:00" },
        TestServices = services =>
        {
            services.RemoveAll<IVideoProvider>();
            services.AddSingleton<CancelRecordingProvider>();
            services.AddSingleton<IVideoProvider>(sp => sp.GetRequiredService<CancelRecordingProvider>());
        },
    };

    private HttpClient _http = null!;

    private CancelRecordingProvider Provider => _factory.Services.GetRequiredService<CancelRecordingProvider>();

    private VideoReconciler Reconciler => _factory.Services.GetRequiredService<VideoReconciler>();

    public async ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        await Reconciler.FirstPass.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Cancel_WaitingJobWithProviderRequest_SendsExactlyOneCancelToProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await CreateSubmittedVideoAsync();

        using var response = await _http.PostAsync($"/api/videos/{id}/cancel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("canceled", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(JobState.Canceled, (await _factory.Services.GetRequiredService<VideoJobs>().Queue.GetAsync(id, ct))?.State);
        var sent = Assert.Single(Provider.Canceled);
        Assert.Equal(RequestId, sent.RequestId);
        Assert.Equal(CancelUrl, sent.CancelUrl);
        Assert.Equal("local", sent.Provider);
        Assert.NotNull((await RowAsync(id)).ProviderCanceledAt);

        // Nothing is owed any more: later reconcile passes send nothing.
        Assert.Equal(0, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.Zero, ct));
        Assert.Single(Provider.CancelCalls);
    }

    [Fact]
    public async Task Cancel_ProviderCancelFails_StaysOwedAndReconcilerSendsItOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await CreateSubmittedVideoAsync();
        Provider.FailNextCancels = 1;

        using var response = await _http.PostAsync($"/api/videos/{id}/cancel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("canceled", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.Single(Provider.CancelCalls);
        Assert.Empty(Provider.Canceled);
        Assert.Null((await RowAsync(id)).ProviderCanceledAt);

        // Within the grace the reconciler leaves a fresh cancel to the API.
        Assert.Equal(0, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.FromMinutes(5), ct));
        Assert.Single(Provider.CancelCalls);

        Assert.Equal(1, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.Zero, ct));
        Assert.Equal(0, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.Zero, ct));

        Assert.Equal(RequestId, Assert.Single(Provider.Canceled).RequestId);
        Assert.Equal(2, Provider.CancelCalls.Count);
        var row = await RowAsync(id);
        Assert.Equal(VideoStatus.Canceled, row.Status);
        Assert.NotNull(row.ProviderCanceledAt);
    }

    [Fact]
    public async Task Reconcile_RowSettledFromCanceledJob_SendsOwedProviderCancel()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await CreateSubmittedVideoAsync();
        // The job is canceled in the queue but the row was never updated (the API died in between).
        Assert.Equal(CancelOutcome.Canceled, await _factory.Services.GetRequiredService<VideoJobs>().Queue.CancelAsync(id, "Canceled by the user.", ct));

        await Reconciler.ReconcileOnceAsync(TimeSpan.Zero, ct);
        Assert.Equal(VideoStatus.Canceled, (await RowAsync(id)).Status);
        Assert.Empty(Provider.CancelCalls);

        Assert.Equal(1, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.Zero, ct));
        Assert.Equal(0, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.Zero, ct));

        Assert.Equal(RequestId, Assert.Single(Provider.CancelCalls).RequestId);
        Assert.NotNull((await RowAsync(id)).ProviderCanceledAt);
    }

    [Fact]
    public async Task Reconcile_VideoCanceledByItsWorker_IsNotCanceledAtProviderAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await CreateSubmittedVideoAsync();
        await UpdateRowAsync(id, v => v.CancelRequestedAt = v.UpdatedAt);

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var status = await scope.ServiceProvider.GetRequiredService<VideoPipeline>().RunAsync(id, null, ct);
            Assert.Equal(VideoStatus.Canceled, status);
        }
        Assert.Single(Provider.Canceled);

        Assert.Equal(0, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.Zero, ct));

        Assert.Single(Provider.CancelCalls);
        Assert.NotNull((await RowAsync(id)).ProviderCanceledAt);
    }

    [Fact]
    public async Task Reconcile_CanceledVideoWithResultAlreadyAtProvider_OwesNoCancel()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await CreateSubmittedVideoAsync();
        await UpdateRowAsync(id, v => v.ProviderResultUrl = "https://provider.invalid/result.mp4");

        using var response = await _http.PostAsync($"/api/videos/{id}/cancel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await Reconciler.SendOwedProviderCancelsAsync(TimeSpan.Zero, ct));
        Assert.Empty(Provider.CancelCalls);
    }

    /// <summary>A video whose waiting job's previous attempt submitted it: the provider holds request <see cref="RequestId"/>.</summary>
    private async Task<string> CreateSubmittedVideoAsync()
    {
        var id = (await _http.CreateVideoAsync("a lighthouse in a storm")).GetProperty("id").GetString()!;
        await UpdateRowAsync(id, v =>
        {
            v.Status = VideoStatus.Generating;
            v.Provider = "local";
            v.ProviderRequestId = RequestId;
            v.ProviderCancelUrl = CancelUrl;
            v.SubmittedAt = v.CreatedAt;
            v.Attempts = 1;
        });
        var job = await _factory.Services.GetRequiredService<VideoJobs>().Queue.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(JobState.Waiting, job?.State);
        return id;
    }

    private async Task UpdateRowAsync(string id, Action<Video> change)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var video = await db.Videos.SingleAsync(v => v.Id == id, TestContext.Current.CancellationToken);
        change(video);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private async Task<Video> RowAsync(string id)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Videos.AsNoTracking().SingleAsync(v => v.Id == id, TestContext.Current.CancellationToken);
    }
}
