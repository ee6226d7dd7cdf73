using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// Issue 11, path 4: status transitions are compare-and-set in the real EF repository (SQLite, and PostgreSQL when
/// VIDEOGEN_TEST_POSTGRES is set), so two pipeline runs that both read <c>queued</c> submit once, and a stale copy
/// of a row cannot overwrite the request id or status another run saved.
/// </summary>
public sealed class StatusCompareAndSetTests
{
    private const int RaceIterations = 200;

    public static TheoryData<string> Databases => new() { "sqlite", "postgres" };

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task TwoPipelinesRacingOnOneQueuedRow_SubmitExactlyOnce_EveryTime(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = Factory(database, racing: true);
        try
        {
            var provider = factory.Services.GetRequiredService<RacingProvider>();
            var repository = factory.Services.GetRequiredService<IVideoRepository>();
            for (var i = 0; i < RaceIterations; i++)
            {
                var id = await InsertQueuedAsync(factory, $"race {i}", ct);

                var runs = await Task.WhenAll(RunAsync(factory, id, ct), RunAsync(factory, id, ct));

                var row = await repository.FindAsync(id, ct);
                Assert.NotNull(row);
                Assert.True(provider.SubmitsOf(id) == 1, $"iteration {i}: {provider.SubmitsOf(id)} submissions for one video (runs ended {runs[0]}, {runs[1]})");
                Assert.Equal($"req-{id}-1", row.ProviderRequestId);
                Assert.Equal(VideoStatus.Failed, row.Status);
                Assert.Equal("test_stop", row.ErrorType);
            }
        }
        finally
        {
            await DropPostgresAsync(factory, database);
        }
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task StaleSave_CannotOverwriteRequestIdOrStatusSavedByAnotherRun(string database)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = Factory(database, racing: false);
        try
        {
            var repository = factory.Services.GetRequiredService<IVideoRepository>();
            var id = await InsertQueuedAsync(factory, "stale copy", ct);
            var stale = (await repository.FindAsync(id, ct))!;
            var winner = (await repository.FindAsync(id, ct))!;

            winner.Status = VideoStatus.Submitting;
            Assert.True(await repository.TrySaveAsync(winner, new StoredVideoState(VideoStatus.Queued, null), ct));
            winner.Status = VideoStatus.InQueue;
            winner.ProviderRequestId = "req-winner";
            Assert.True(await repository.TrySaveAsync(winner, new StoredVideoState(VideoStatus.Submitting, null), ct));
            // The stale copy still says queued and has no request id: it would submit again and drop req-winner.
            stale.Status = VideoStatus.Submitting;
            stale.Progress = 0.25;
            var staleSaved = await repository.TrySaveAsync(stale, new StoredVideoState(VideoStatus.Queued, null), ct);
            // Same status as stored, different request id: refused too.
            var other = (await repository.FindAsync(id, ct))!;
            other.ProviderRequestId = "req-other";
            var otherSaved = await repository.TrySaveAsync(other, new StoredVideoState(VideoStatus.InQueue, null), ct);

            var stored = (await repository.FindAsync(id, ct))!;
            Assert.False(staleSaved);
            Assert.False(otherSaved);
            Assert.Equal(VideoStatus.InQueue, stored.Status);
            Assert.Equal("req-winner", stored.ProviderRequestId);
            Assert.Null(stored.Progress);
        }
        finally
        {
            await DropPostgresAsync(factory, database);
        }
    }

    [Fact]
    public async Task PipelineRun_WhoseRowWasSubmittedByAnotherRun_StopsWithoutSubmittingOrWriting()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = Factory("sqlite", racing: true);
        var provider = factory.Services.GetRequiredService<RacingProvider>();
        var repository = factory.Services.GetRequiredService<IVideoRepository>();
        var id = await InsertQueuedAsync(factory, "already taken", ct);
        var runTask = RunAsync(factory, id, ct);
        // This run has read the row as queued and is held just before marking it submitting.
        await provider.FirstArrivalAsync(id);
        // Meanwhile another run (e.g. the job's new owner after this worker lost its lease) submits and saves its request.
        var other = (await repository.FindAsync(id, ct))!;
        other.Status = VideoStatus.InQueue;
        other.Provider = "local";
        other.ProviderRequestId = "req-other";
        Assert.True(await repository.TrySaveAsync(other, new StoredVideoState(VideoStatus.Queued, null), ct));
        await provider.ReleaseAsync(id, ct);

        var status = await runTask;

        var stored = (await repository.FindAsync(id, ct))!;
        Assert.Equal(0, provider.SubmitsOf(id));
        Assert.Equal(VideoStatus.InQueue, status);
        Assert.Equal(VideoStatus.InQueue, stored.Status);
        Assert.Equal("req-other", stored.ProviderRequestId);
    }

    private static VideoGenFactory Factory(string database, bool racing)
    {
        var factory = new VideoGenFactory
        {
            WorkersEnabled = false,
            TestServices = racing
                ? services =>
                {
                    services.RemoveAll<IVideoProvider>();
                    services.AddSingleton<RacingProvider>();
                    services.AddSingleton<IVideoProvider>(sp => sp.GetRequiredService<RacingProvider>());
                }
                : null,
        };
        if (database == "postgres")
        {
            var baseConnection = Environment.GetEnvironmentVariable("VIDEOGEN_TEST_POSTGRES");
            if (string.IsNullOrWhiteSpace(baseConnection))
            {
                if (Environment.GetEnvironmentVariable("CI") == "true")
                {
                    Assert.Fail("VIDEOGEN_TEST_POSTGRES is not set; scripts/test.sh starts PostgreSQL and sets it.");
                }
                Assert.Skip("VIDEOGEN_TEST_POSTGRES is not set (PostgreSQL not started).");
            }
            factory.Settings["VideoGen:Database:Provider"] = "postgres";
            factory.Settings["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(baseConnection) { Database = $"videogen_test_{Guid.NewGuid():N}" }.ConnectionString;
        }
        return factory;
    }

    private static async Task<string> InsertQueuedAsync(VideoGenFactory factory, string prompt, CancellationToken ct)
    {
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var video = new Video { Id = Guid.CreateVersion7().ToString("N"), Prompt = prompt, Model = "local/preview", CreatedAt = now, UpdatedAt = now };
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Videos.Add(video);
        await db.SaveChangesAsync(ct);
        return video.Id;
    }

    /// <summary>One pipeline run as a worker would start it: its own scope, no job (a direct run).</summary>
    private static async Task<VideoStatus> RunAsync(VideoGenFactory factory, string id, CancellationToken ct)
    {
        await Task.Yield();
        await using var scope = factory.Services.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<VideoPipeline>().RunAsync(id, null, ct);
        }
        catch (PermanentJobException)
        {
            // The run failed the video (the race provider fails every generation); the row says so.
            return VideoStatus.Failed;
        }
    }

    private static async Task DropPostgresAsync(VideoGenFactory factory, string database)
    {
        if (database == "postgres")
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureDeletedAsync(CancellationToken.None);
        }
    }
}
