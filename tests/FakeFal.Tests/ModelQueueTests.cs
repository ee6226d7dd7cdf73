using System.Text.Json.Nodes;
using FakeFal.Queue;

namespace FakeFal.Tests;

public sealed class ModelQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Positions_FollowStartsAndMiddleRemovals()
    {
        var queue = new ModelQueue("m/a");
        var r = Enumerable.Range(0, 5).Select(i => Request(i)).ToArray();
        foreach (var x in r)
        {
            queue.Enqueue(x);
        }

        Assert.Same(r[0], queue.TryStartNext(1, T0, TimeSpan.Zero, out _));
        Assert.True(queue.Remove(r[2]));

        Assert.Equal([0, 1, 2], new[] { r[1], r[3], r[4] }.Select(queue.PositionOf));
        Assert.Null(queue.TryStartNext(1, T0, TimeSpan.Zero, out _));
        queue.Release();
        Assert.Same(r[1], queue.TryStartNext(1, T0, TimeSpan.Zero, out _));
        Assert.Equal([0, 1], new[] { r[3], r[4] }.Select(queue.PositionOf));
    }

    [Fact]
    public void TryStartNext_BeforeTheQueueDelay_ReportsWhenToRetry()
    {
        var queue = new ModelQueue("m/a");
        queue.Enqueue(Request(0));

        Assert.Null(queue.TryStartNext(1, T0.AddMilliseconds(100), TimeSpan.FromMilliseconds(500), out var retryIn));
        Assert.Equal(TimeSpan.FromMilliseconds(400), retryIn);
    }

    private static FalRequest Request(int i) => new()
    {
        Id = $"r{i}",
        ModelId = "m/a",
        AppId = "m/a",
        Input = new JsonObject(),
        BaseUrl = "http://127.0.0.1",
        SubmittedAt = T0,
    };
}
