using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VideoGen.Core.Providers.Slots;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Providers;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// Provider slots in the app database (issue 13), on SQLite and PostgreSQL: takes racing from many callers never
/// exceed the limit, a slot is keyed by its video, and one whose video left the provider comes back by reconciliation.
/// </summary>
public sealed class ProviderSlotsTests
{
    private const string Model = "fal-ai/kling-video/v2.1/standard/text-to-video";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TwentyRacingTakes_LimitThree_ExactlyThreeAreTaken(string database)
    {
        await using var factory = Factory(database, maxConcurrent: 3);
        var slots = factory.Services.GetRequiredService<DbProviderSlots>();

        var grants = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => slots.TryTakeAsync($"video-{i}", "fal", Model, Ct), Ct)));

        Assert.Equal(3, grants.Count(g => g == SlotGrant.Taken));
        Assert.Equal(17, grants.Count(g => g == SlotGrant.Full));
        Assert.Equal(3, (await slots.UsageAsync("fal", Ct)).InUse);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Slot_IsKeyedByVideo_ReleasedOnce_AndTakenAgainAfterRelease(string database)
    {
        await using var factory = Factory(database, maxConcurrent: 1);
        var slots = factory.Services.GetRequiredService<DbProviderSlots>();

        Assert.Equal(SlotGrant.Taken, await slots.TryTakeAsync("a", "fal", Model, Ct));
        Assert.Equal(SlotGrant.AlreadyHeld, await slots.TryTakeAsync("a", "fal", Model, Ct));
        Assert.Equal(SlotGrant.Full, await slots.TryTakeAsync("b", "fal", Model, Ct));
        await slots.ReleaseAsync("a", Ct);
        await slots.ReleaseAsync("a", Ct);
        Assert.Equal(SlotGrant.Taken, await slots.TryTakeAsync("b", "fal", Model, Ct));
        Assert.Equal(1, (await slots.UsageAsync("fal", Ct)).InUse);
    }

    [Fact]
    public async Task Reconcile_FreesSlotsOfVideosThatLeftTheProvider_KeepsThoseStillThere()
    {
        await using var factory = Factory("sqlite", maxConcurrent: 10);
        var slots = factory.Services.GetRequiredService<DbProviderSlots>();
        await AddVideoAsync(factory, "at-fal", VideoStatus.Generating, resultUrl: null);
        await AddVideoAsync(factory, "result-fetched", VideoStatus.Ingesting, resultUrl: "https://fal.media/x.mp4");
        await AddVideoAsync(factory, "failed", VideoStatus.Failed, resultUrl: null);
        foreach (var id in new[] { "at-fal", "result-fetched", "failed", "row-gone" })
        {
            Assert.Equal(SlotGrant.Taken, await slots.TryTakeAsync(id, "fal", Model, Ct));
        }

        var freed = await slots.ReconcileAsync(Ct);

        Assert.Equal(3, freed);
        var usage = await slots.UsageAsync("fal", Ct);
        Assert.Equal(1, usage.InUse);
        Assert.Equal(SlotGrant.AlreadyHeld, await slots.TryTakeAsync("at-fal", "fal", Model, Ct));
    }

    [Fact]
    public async Task SubmitsPerMinute_CountsReleasedSlotsToo()
    {
        await using var factory = Factory("sqlite", maxConcurrent: null, maxSubmitsPerMinute: 2);
        var slots = factory.Services.GetRequiredService<DbProviderSlots>();

        Assert.Equal(SlotGrant.Taken, await slots.TryTakeAsync("a", "fal", Model, Ct));
        await slots.ReleaseAsync("a", Ct);
        Assert.Equal(SlotGrant.Taken, await slots.TryTakeAsync("b", "fal", Model, Ct));
        await slots.ReleaseAsync("b", Ct);

        Assert.Equal(SlotGrant.Full, await slots.TryTakeAsync("c", "fal", Model, Ct));
        Assert.Equal(2, (await slots.UsageAsync("fal", Ct)).SubmitsLastMinute);
    }

    private static VideoGenFactory Factory(string database, int? maxConcurrent, int? maxSubmitsPerMinute = null)
    {
        var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Providers:Fal:Key"] = "test-key-0123456789:not-a-real-secret";
        if (maxConcurrent is { } max)
        {
            factory.Settings["VideoGen:Providers:Fal:MaxConcurrent"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (maxSubmitsPerMinute is { } rate)
        {
            factory.Settings["VideoGen:Providers:Fal:MaxSubmitsPerMinute"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

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

        _ = factory.Services;
        return factory;
    }

    private static async Task AddVideoAsync(VideoGenFactory factory, string id, VideoStatus status, string? resultUrl)
    {
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Videos.Add(new Video { Id = id, Prompt = "slot", Model = Model, Status = status, ProviderResultUrl = resultUrl, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(Ct);
    }
}
