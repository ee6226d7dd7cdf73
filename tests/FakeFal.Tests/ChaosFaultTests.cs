using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

/// <summary>
/// The faults a chaos run adds: a webhook that arrives before the submit's answer (out of order), a result that
/// expires the moment it completes, and the per-request outcome the chaos ledger reads from the stats.
/// </summary>
public sealed class ChaosFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EarlyWebhook_ArrivesBeforeTheSubmitAnswers()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:EarlyWebhookRate=1");

        var submitted = await fal.SubmitAsync(webhook: hook.Url, idempotencyKey: "video-1");

        Assert.Single(hook.Received);
        Assert.Equal((string)submitted["request_id"]!, hook.Received.Single().RequestId);
        var stats = await fal.StatsAsync();
        Assert.Equal(1, (int)stats["faults"]!["submit.early_webhook"]!);
        Assert.Equal("succeeded", (string)stats["by_request_id"]![(string)submitted["request_id"]!]!["outcome"]!);
    }

    [Fact]
    public async Task ExpiredResult_CompletesThenAnswers404_AndIsMarkedInTheStats()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:ExpiredResultRate=1");
        var submitted = await fal.SubmitAsync(idempotencyKey: "video-1");
        var id = (string)submitted["request_id"]!;

        await Eventually.TrueAsync(
            async () => (string?)(await fal.StatsAsync())["by_request_id"]![id]!["outcome"] == "succeeded",
            TimeSpan.FromSeconds(30),
            "the request to complete");
        var (status, _) = await fal.StatusAsync(submitted);
        using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);

        Assert.Equal(404, status);
        Assert.Equal(404, (int)result.StatusCode);
        var request = (await fal.StatsAsync())["by_request_id"]![id]!;
        Assert.True((bool)request["result_expired_by_fault"]!);
    }

    [Fact]
    public async Task WithoutFaults_TheOutcomeIsRecorded_AndNoResultIsMarkedExpired()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync(idempotencyKey: "video-1");
        var id = (string)submitted["request_id"]!;

        await fal.WaitCompletedAsync(submitted);

        var request = (await fal.StatsAsync())["by_request_id"]![id]!;
        Assert.Equal("succeeded", (string)request["outcome"]!);
        Assert.False((bool)request["result_expired_by_fault"]!);
    }
}
