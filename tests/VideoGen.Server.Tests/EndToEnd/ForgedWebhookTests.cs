using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// Issue 12, the fal webhook route: any fal account can have fal send a genuinely signed webhook to any URL. A victim
/// video whose submit outcome is unknown (<c>submit_unconfirmed</c>) must not be re-attached to someone else's request through such a
/// delivery unless its URL carries the HMAC token only our server can make. Through real processes: FakeFal signs
/// every delivery with its ED25519 key and the server verifies it against FakeFal's JWKS.
/// </summary>
public sealed class ForgedWebhookTests(SignedWebhookFalStack stack) : IClassFixture<SignedWebhookFalStack>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SignedDelivery_WithWrongOrMissingToken_ChangesNothing_AndOnlyTheRightTokenReattaches()
    {
        // The victim: the submit answer is lost and fal's own webhook for it never comes (and the request list is not
        // asked here), so it stays unconfirmed.
        await stack.FakeFal.ConfigureAsync("""{"faults":{"routes":{"submit":{"dropRate":1.0}}}}""");
        var victim = await stack.CreateVideoAsync("a victim's paid video [fakefal:nowebhook]");
        await stack.WaitForVideoAsync(victim, v => FalStack.Status(v) == "submit_unconfirmed", Wait, $"video {victim} to be unconfirmed");
        await stack.FakeFal.ConfigureAsync("""{"faults":{"routes":{"submit":{"dropRate":0.0}}}}""");

        // Another fal account's requests, with webhook URLs naming the victim: a wrong token, then none.
        await SubmitAsAttackerAsync($"video={victim}&token={SignedWebhookFalStack.TokenFor("some-other-video")}");
        await SubmitAsAttackerAsync($"video={victim}");
        await FalStack.WaitAsync(
            () => stack.FakeFal.StatsAsync(requests: false),
            s => Webhooks(s, "failed") >= 2,
            Wait,
            "FakeFal's two signed deliveries with a wrong and a missing token to be refused",
            stack);

        var unchanged = await stack.GetVideoAsync(victim);
        Assert.Equal("submit_unconfirmed", FalStack.Status(unchanged));
        Assert.Equal(0, Webhooks(await stack.FakeFal.StatsAsync(requests: false), "delivered"));

        // Control: the same delivery with the victim's own token is accepted and re-attaches (the token is what stopped it).
        await SubmitAsAttackerAsync($"video={victim}&token={SignedWebhookFalStack.TokenFor(victim)}");
        await stack.WaitForVideoAsync(victim, v => FalStack.Status(v) == "succeeded", Wait, $"video {victim} to be re-attached by the delivery carrying its token");
    }

    [Fact]
    public void WebhooksOn_WithoutExpectedWebhookUserId_StartUpWarnsThatAnyFalAccountIsAccepted() =>
        Assert.Contains("SECURITY: fal webhooks are on but VideoGen:Providers:Fal:ExpectedWebhookUserId is not set", stack.Server.Process.Output, StringComparison.Ordinal);

    private async Task SubmitAsAttackerAsync(string webhookQuery)
    {
        var webhook = new Uri(stack.Server.BaseUrl, "/webhooks/fal?" + webhookQuery);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{FalStack.TextToVideo}?fal_webhook={Uri.EscapeDataString(webhook.ToString())}")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { prompt = "the attacker's own request" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Key attacker-id:attacker-secret");
        using var response = await stack.FakeFal.Control.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"FakeFal refused the attacker's submit: {(int)response.StatusCode}");
    }

    private static int Webhooks(JsonElement stats, string counter) =>
        stats.GetProperty("webhooks").TryGetProperty(counter, out var n) ? n.GetInt32() : 0;
}

/// <summary>Webhooks on with a known webhook secret; FakeFal delivers each webhook once (no retries), quickly.</summary>
public sealed class SignedWebhookFalStack : FalStack
{
    private const string Secret = "forged-webhook-tests-secret-0123456789abcdef";

    /// <summary>What our server puts in the webhook URL of <paramref name="videoId"/> (HMAC-SHA256 under the secret, base64url).</summary>
    public static string TokenFor(string videoId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(videoId)));

    protected override bool Webhooks => true;

    // Only a webhook may resolve the victim here: fal's request list would find its request without one.
    protected override string[] ServerArgs => [$"--VideoGen:Webhooks:Secret={Secret}", "--VideoGen:Pipeline:PollInterval=00:00:01", "--VideoGen:Providers:Fal:FindLostSubmits=false"];

    protected override (string Key, string Value)[] FakeFalSettings =>
        [("Queue:QueueDelay", "00:00:00.300"), ("Queue:InProgress", "00:00:01"), ("Webhooks:MaxAttempts", "1")];
}
