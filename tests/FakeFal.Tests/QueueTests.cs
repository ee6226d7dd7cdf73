using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class QueueTests
{
    [Fact]
    public async Task OneSlot_QueuePositionsCountDownInSubmitOrder()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:Slots=1", "--FakeFal:Queue:InProgress=00:00:02");
        var blocker = await fal.SubmitAsync();
        await WaitInProgressAsync(fal, blocker, "the first request to take the only slot");
        var requests = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            requests.Add(await fal.SubmitAsync());
        }

        Assert.Equal([0, 1, 2], requests.Select(r => (int)r["queue_position"]!));
        var second = (await fal.StatusAsync(requests[1])).Body;
        Assert.Equal("IN_QUEUE", (string?)second["status"]);
        Assert.Equal(1, (int)second["queue_position"]!);
        Assert.Null(second["logs"]);

        await fal.WaitCompletedAsync(blocker);
        await WaitInProgressAsync(fal, requests[0], "the next request to start after the first finished");
        Assert.Equal(0, (int)(await fal.StatusAsync(requests[1])).Body["queue_position"]!);
        Assert.Equal(1, (int)(await fal.StatusAsync(requests[2])).Body["queue_position"]!);
    }

    private static Task WaitInProgressAsync(FakeFalHost fal, JsonObject request, string what)
        => Eventually.TrueAsync(async () => (string?)(await fal.StatusAsync(request)).Body["status"] == "IN_PROGRESS", TimeSpan.FromSeconds(10), what);

    [Fact]
    public async Task Queues_ArePerModel()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:Slots=1", "--FakeFal:Queue:InProgress=00:00:05");
        await fal.SubmitAsync(model: "fal-ai/minimax/video-01");
        var other = await fal.SubmitAsync(model: "fal-ai/ltx-video");

        Assert.Equal(0, (int)other["queue_position"]!);
        Assert.Equal($"{fal.BaseUrl}/fal-ai/ltx-video/requests/{other["request_id"]}/status", (string?)other["status_url"]);
        await Eventually.TrueAsync(async () => (string?)(await fal.StatusAsync(other)).Body["status"] == "IN_PROGRESS",
            TimeSpan.FromSeconds(10), "the other model's request to run despite the first model's busy slot");
        var stats = await fal.StatsAsync();
        Assert.Equal(1, (int)stats["queues"]!["fal-ai/minimax/video-01"]!["in_progress"]!);
        Assert.Equal(1, (int)stats["queues"]!["fal-ai/ltx-video"]!["in_progress"]!);
    }

    [Fact]
    public async Task SlotsChangedAtRuntime_LetWaitingRequestsStart()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:Slots=1", "--FakeFal:Queue:InProgress=00:00:20");
        var first = await fal.SubmitAsync();
        await WaitInProgressAsync(fal, first, "the first request to take the only slot");
        var waiting = await fal.SubmitAsync();
        Assert.Equal(0, (int)waiting["queue_position"]!);
        Assert.Equal("IN_QUEUE", (string?)(await fal.StatusAsync(waiting)).Body["status"]);

        await fal.ConfigureAsync(new JsonObject { ["queue"] = new JsonObject { ["slots"] = 2 } });

        await Eventually.TrueAsync(async () => (string?)(await fal.StatusAsync(waiting)).Body["status"] == "IN_PROGRESS",
            TimeSpan.FromSeconds(10), "the waiting request to start in the added slot");
    }
}
