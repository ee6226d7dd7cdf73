using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Queue.Processing;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>Finished jobs past retention are removed at most once per retention interval, by the injected clock.</summary>
public sealed class RetentionTrimmerTests : IAsyncDisposable
{
    private readonly WorkerParts _parts = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TrimIfDue_RemovesOldFinishedJobs_OnlyOncePerInterval()
    {
        var trimmer = Trimmer(new RetentionPolicy { MaxAge = TimeSpan.FromMinutes(1) });
        await trimmer.TrimIfDueAsync();
        await CompleteOneAsync();

        _parts.Time.Advance(TimeSpan.FromMinutes(2));
        await trimmer.TrimIfDueAsync();
        Assert.NotNull(await _parts.Store.GetAsync("j0", Ct));

        _parts.Time.Advance(TimeSpan.FromMinutes(4));
        await trimmer.TrimIfDueAsync();
        Assert.Null(await _parts.Store.GetAsync("j0", Ct));
    }

    [Fact]
    public async Task TrimIfDue_WithoutRetention_KeepsEverything()
    {
        var trimmer = Trimmer(retention: null);
        await CompleteOneAsync();

        _parts.Time.Advance(TimeSpan.FromDays(30));
        await trimmer.TrimIfDueAsync();

        Assert.NotNull(await _parts.Store.GetAsync("j0", Ct));
    }

    public ValueTask DisposeAsync() => _parts.DisposeAsync();

    private RetentionTrimmer Trimmer(RetentionPolicy? retention) =>
        new(_parts.Store, new QueueWorkerOptions { WorkerId = "trimmer", Retention = retention, RetentionInterval = TimeSpan.FromMinutes(5) }, _parts.Time, NullLogger.Instance);

    private async Task CompleteOneAsync()
    {
        await _parts.EnqueueAsync(1);
        var job = Assert.Single(await _parts.ClaimAsync(1));
        Assert.Equal([true], await _parts.Store.CompleteAsync([new JobCompletion(job.Id, job.LeaseToken)], _parts.Time.GetUtcNow(), Ct));
    }
}
