using System.Text;
using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class WebhookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Webhook_OnSuccess_IsSignedVerifiablyWithThePublishedJwks()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync(webhook: hook.Url);

        await Eventually.TrueAsync(() => !hook.Received.IsEmpty, TimeSpan.FromSeconds(30), "the webhook to arrive");

        var received = Assert.Single(hook.Received);
        var jwks = JsonNode.Parse(await fal.Client.GetStringAsync(".well-known/jwks.json", Ct))!.AsObject();
        var jwk = Assert.Single(jwks["keys"]!.AsArray())!;
        Assert.Equal("OKP", (string?)jwk["kty"]);
        Assert.Equal("Ed25519", (string?)jwk["crv"]);
        Assert.True(FalWebhookVerifier.Verify(jwks, received, TimeProvider.System.GetUtcNow()), "the signature must verify with the JWKS key");
        Assert.Equal((string?)submitted["request_id"], received.RequestId);
        Assert.Equal("fakefal-user", received.UserId);

        var body = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Equal((string?)submitted["request_id"], (string?)body["request_id"]);
        Assert.Equal((string?)submitted["request_id"], (string?)body["gateway_request_id"]);
        Assert.Equal("OK", (string?)body["status"]);
        Assert.StartsWith($"{fal.BaseUrl}/files/", (string?)body["payload"]!["video"]!["url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_WithTamperedBodyOrStaleTimestamp_DoesNotVerify()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var fal = await FakeFalHost.StartAsync();
        await fal.SubmitAsync(webhook: hook.Url);
        await Eventually.TrueAsync(() => !hook.Received.IsEmpty, TimeSpan.FromSeconds(30), "the webhook to arrive");
        var received = Assert.Single(hook.Received);
        var jwks = JsonNode.Parse(await fal.Client.GetStringAsync(".well-known/jwks.json", Ct))!.AsObject();

        var tampered = received with { Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(received.Body).Replace("\"OK\"", "\"ERROR\"", StringComparison.Ordinal)) };

        Assert.False(FalWebhookVerifier.Verify(jwks, tampered, TimeProvider.System.GetUtcNow()));
        Assert.False(FalWebhookVerifier.Verify(jwks, received, TimeProvider.System.GetUtcNow().AddSeconds(301)));
        Assert.False(FalWebhookVerifier.Verify(jwks, received with { UserId = "someone-else" }, TimeProvider.System.GetUtcNow()));
    }

    [Fact]
    public async Task Webhook_ForAnErrorResult_HasStatusErrorAndTheErrorPayload()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var fal = await FakeFalHost.StartAsync();
        await fal.SubmitAsync(new JsonObject { ["prompt"] = "bad [fakefal:error]" }, webhook: hook.Url);

        await Eventually.TrueAsync(() => !hook.Received.IsEmpty, TimeSpan.FromSeconds(30), "the error webhook to arrive");

        var body = JsonNode.Parse(Assert.Single(hook.Received).Body)!.AsObject();
        Assert.Equal("ERROR", (string?)body["status"]);
        Assert.Equal("Invalid status code: 422", (string?)body["error"]);
        Assert.Equal("content_policy_violation", (string?)body["payload"]!["detail"]![0]!["type"]);
    }

    [Fact]
    public async Task Webhook_RefusedByTheReceiver_IsRetriedUntilAccepted()
    {
        await using var hook = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var fal = await FakeFalHost.StartAsync();
        await fal.SubmitAsync(webhook: hook.Url);

        await Eventually.TrueAsync(() => !hook.Received.IsEmpty, TimeSpan.FromSeconds(30), "the webhook to get through on the third attempt");

        Assert.Equal(3, hook.Attempts);
        var webhooks = (await fal.StatsAsync())["webhooks"]!;
        Assert.Equal(3, (int)webhooks["attempts"]!);
        Assert.Equal(1, (int)webhooks["delivered"]!);
    }

    [Fact]
    public async Task DuplicateWebhookFault_DeliversTheSameBodyTwice()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:DuplicateWebhookRate=1");
        await fal.SubmitAsync(webhook: hook.Url);

        await Eventually.TrueAsync(() => hook.Received.Count == 2, TimeSpan.FromSeconds(30), "two deliveries of one webhook");

        var both = hook.Received.ToArray();
        Assert.Equal(both[0].Body, both[1].Body);
        Assert.Equal(both[0].RequestId, both[1].RequestId);
        Assert.Equal(1, (int)(await fal.StatsAsync())["faults"]!["webhook.duplicate"]!);
    }

    [Fact]
    public async Task LateWebhookFault_ArrivesOnlyAfterTheDelay()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:LateWebhookRate=1", "--FakeFal:Faults:LateWebhookDelay=00:00:03");
        var submittedAt = TimeProvider.System.GetTimestamp();
        await fal.SubmitAsync(webhook: hook.Url);

        await Eventually.TrueAsync(() => !hook.Received.IsEmpty, TimeSpan.FromSeconds(30), "the late webhook");

        Assert.True(TimeProvider.System.GetElapsedTime(submittedAt) >= TimeSpan.FromSeconds(3), "the webhook came before the late delay had passed");
        Assert.Equal(1, (int)(await fal.StatsAsync())["faults"]!["webhook.late"]!);
    }

    [Fact]
    public async Task LostWebhookFault_SendsNothing()
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync(new JsonObject { ["prompt"] = "quiet [fakefal:nowebhook]" }, webhook: hook.Url);
        await fal.WaitCompletedAsync(submitted);

        await Eventually.TrueAsync(async () => (int?)(await fal.StatsAsync())["webhooks"]!["lost"] == 1,
            TimeSpan.FromSeconds(10), "the webhook to be counted as lost");

        Assert.Equal(0, hook.Attempts);
    }
}
