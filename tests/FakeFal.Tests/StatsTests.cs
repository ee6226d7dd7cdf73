using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_CountSubmissionsPerModelKeyAndRequest_AndCallsPerRoute()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var a = await fal.SubmitAsync(idempotencyKey: "video-a");
        await fal.SubmitAsync(idempotencyKey: "video-a");
        await fal.SubmitAsync(new JsonObject { ["prompt"] = "x", ["metadata"] = new JsonObject { ["idempotency_key"] = "video-b" } }, model: "fal-ai/ltx-video");
        await fal.SubmitAsync();
        await fal.WaitCompletedAsync(a);
        using var _ = await fal.Client.GetAsync((string)a["response_url"]!, TestContext.Current.CancellationToken);

        var stats = await fal.StatsAsync();

        var submissions = stats["submissions"]!;
        Assert.Equal(4, (int)submissions["total"]!);
        Assert.Equal(1, (int)submissions["without_idempotency_key"]!);
        Assert.Equal(3, (int)submissions["by_model"]![FakeFalHost.Model]!);
        Assert.Equal(1, (int)submissions["by_model"]!["fal-ai/ltx-video"]!);
        Assert.Equal(2, (int)submissions["by_idempotency_key"]!["video-a"]!);
        Assert.Equal(1, (int)submissions["by_idempotency_key"]!["video-b"]!);
        Assert.Equal(["video-a"], submissions["duplicate_idempotency_keys"]!.AsArray().Select(n => (string)n!));
        var perRequest = stats["by_request_id"]![(string)a["request_id"]!]!;
        Assert.Equal("video-a", (string?)perRequest["idempotency_key"]);
        Assert.True((int)perRequest["status"]! >= 1);
        Assert.Equal(1, (int)perRequest["result"]!);
        Assert.Equal(4, (int)stats["calls"]!["submit"]!);
        Assert.Equal(1, (int)stats["calls"]!["result"]!);
        Assert.True((double)stats["requests_per_second"]!["average"]! > 0);
    }

    [Fact]
    public async Task Stats_WithRequestsFalse_OmitsThePerRequestMap()
    {
        await using var fal = await FakeFalHost.StartAsync();
        await fal.SubmitAsync();

        var stats = JsonNode.Parse(await fal.Client.GetStringAsync("_fake/stats?requests=false", TestContext.Current.CancellationToken))!;

        Assert.Null(stats["by_request_id"]);
        Assert.Equal(1, (int)stats["submissions"]!["total"]!);
    }
}
