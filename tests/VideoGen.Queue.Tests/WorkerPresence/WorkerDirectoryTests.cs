using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.WorkerPresence;

namespace VideoGen.Queue.Tests.WorkerPresence;

/// <summary>
/// What every <see cref="IWorkerDirectory"/> promises, run once per backend (each subclass gives a fresh,
/// isolated directory per test). Expiry is judged by the directory's clock, a <see cref="FakeTimeProvider"/> here.
/// </summary>
public abstract class WorkerDirectoryTests
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A directory no other test sees, judging expiry by <see cref="Time"/>.</summary>
    protected abstract IWorkerDirectory Directory { get; }

    protected WorkerInfo Info(string workerId, string queue = "videos", int running = 0) => new()
    {
        WorkerId = workerId,
        Queue = queue,
        Host = "host-a",
        ProcessId = 4242,
        StartedAt = Time.GetUtcNow() - TimeSpan.FromMinutes(5),
        Concurrency = 8,
        RunningJobs = running,
        LastHeartbeat = Time.GetUtcNow(),
    };

    [Fact]
    public async Task Announce_ThenList_ReturnsTheWorkerAsAnnounced()
    {
        var info = Info("w1", running: 3);

        await Directory.AnnounceAsync(info, Ttl, Ct);

        Assert.Equal([info], await Directory.ListAsync(Ct));
    }

    [Fact]
    public async Task Announce_Again_ReplacesTheEntryWithTheNewRunningCountAndHeartbeat()
    {
        await Directory.AnnounceAsync(Info("w1", running: 0), Ttl, Ct);
        Time.Advance(TimeSpan.FromSeconds(10));
        var beat = Info("w1", running: 5);

        await Directory.AnnounceAsync(beat, Ttl, Ct);

        var listed = Assert.Single(await Directory.ListAsync(Ct));
        Assert.Equal(5, listed.RunningJobs);
        Assert.Equal(Time.GetUtcNow(), listed.LastHeartbeat);
        Assert.Equal(beat, listed);
    }

    [Fact]
    public async Task List_OrdersByQueueThenWorkerId()
    {
        await Directory.AnnounceAsync(Info("w2", "videos"), Ttl, Ct);
        await Directory.AnnounceAsync(Info("w1", "videos"), Ttl, Ct);
        await Directory.AnnounceAsync(Info("w9", "audio"), Ttl, Ct);

        var listed = await Directory.ListAsync(Ct);

        Assert.Equal(["audio/w9", "videos/w1", "videos/w2"], listed.Select(w => $"{w.Queue}/{w.WorkerId}"));
    }

    [Fact]
    public async Task List_WhenTtlPassedWithoutAnnounce_DropsTheWorker()
    {
        await Directory.AnnounceAsync(Info("dead"), Ttl, Ct);
        await Directory.AnnounceAsync(Info("alive"), Ttl, Ct);

        Time.Advance(Ttl - TimeSpan.FromMilliseconds(1));
        Assert.Equal(["alive", "dead"], (await Directory.ListAsync(Ct)).Select(w => w.WorkerId));

        await Directory.AnnounceAsync(Info("alive"), Ttl, Ct);
        Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(["alive"], (await Directory.ListAsync(Ct)).Select(w => w.WorkerId));
    }

    [Fact]
    public async Task Remove_DeletesTheWorkerOnEveryQueue_AndReportsWhetherItWasListed()
    {
        await Directory.AnnounceAsync(Info("w1", "videos"), Ttl, Ct);
        await Directory.AnnounceAsync(Info("w1", "audio"), Ttl, Ct);
        await Directory.AnnounceAsync(Info("w2", "videos"), Ttl, Ct);

        Assert.True(await Directory.RemoveAsync("w1", Ct));
        Assert.False(await Directory.RemoveAsync("w1", Ct));
        Assert.False(await Directory.RemoveAsync("never-announced", Ct));

        Assert.Equal(["w2"], (await Directory.ListAsync(Ct)).Select(w => w.WorkerId));
    }

    [Fact]
    public async Task Announce_WithoutQueueOrNonPositiveTtl_IsRefused()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Directory.AnnounceAsync(Info("w1", queue: ""), Ttl, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Directory.AnnounceAsync(Info("w1"), TimeSpan.Zero, Ct));

        Assert.Empty(await Directory.ListAsync(Ct));
    }
}
