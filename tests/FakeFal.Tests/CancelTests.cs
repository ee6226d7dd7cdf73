using System.Net;
using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class CancelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_WhileInQueue_IsRequestedAndTheRequestNeverRuns()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:Slots=1", "--FakeFal:Queue:InProgress=00:00:03");
        var running = await fal.SubmitAsync();
        await Eventually.TrueAsync(async () => (string?)(await fal.StatusAsync(running)).Body["status"] == "IN_PROGRESS",
            TimeSpan.FromSeconds(10), "the first request to take the only slot");
        var queued = await fal.SubmitAsync();
        var behind = await fal.SubmitAsync();

        using var cancel = await fal.Client.PutAsync((string)queued["cancel_url"]!, null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal("CANCELLATION_REQUESTED", (string?)(await FakeFalHost.ReadObjectAsync(cancel))["status"]);
        var (code, status) = await fal.StatusAsync(queued);
        Assert.Equal(200, code);
        Assert.Equal("COMPLETED", (string?)status["status"]);
        Assert.Equal("request_cancelled", (string?)status["error_type"]);
        Assert.DoesNotContain(status["logs"]!.AsArray(), l => ((string)l!["message"]!).StartsWith("Generating", StringComparison.Ordinal));
        var behindStatus = (await fal.StatusAsync(behind)).Body;
        Assert.Equal("IN_QUEUE", (string?)behindStatus["status"]);
        Assert.Equal(0, (int)behindStatus["queue_position"]!);
        using var result = await fal.Client.GetAsync((string)queued["response_url"]!, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        await fal.WaitCompletedAsync(running);
    }

    [Fact]
    public async Task Cancel_WhileInProgress_CompletesTheRequestAsCanceled()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:InProgress=00:00:20");
        var submitted = await fal.SubmitAsync();
        await Eventually.TrueAsync(async () => (string?)(await fal.StatusAsync(submitted)).Body["status"] == "IN_PROGRESS",
            TimeSpan.FromSeconds(10), "the request to start");

        using var cancel = await fal.Client.PutAsync((string)submitted["cancel_url"]!, null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var completed = await fal.WaitCompletedAsync(submitted, TimeSpan.FromSeconds(5));
        Assert.Equal("request_cancelled", (string?)completed["error_type"]);
        Assert.Equal(1, (int)(await fal.StatsAsync())["outcomes"]!["canceled"]!);
    }

    [Fact]
    public async Task Cancel_AfterCompletion_Is400AlreadyCompleted()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync();
        await fal.WaitCompletedAsync(submitted);

        using var cancel = await fal.Client.PutAsync((string)submitted["cancel_url"]!, null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, cancel.StatusCode);
        Assert.Equal("ALREADY_COMPLETED", (string?)(await FakeFalHost.ReadObjectAsync(cancel))["status"]);
        using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
    }
}
