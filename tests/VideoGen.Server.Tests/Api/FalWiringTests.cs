using System.Net;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>With a fal key configured the server offers fal's models and hosts the signed webhook endpoint; without one it does neither.</summary>
public sealed class FalWiringTests
{
    private const string FakeKey = "test-key-0123456789:not-a-real-secret";

    [Fact]
    public async Task WithFalKey_ModelsIncludeFalAndWebhookRefusesUnsignedCalls()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Providers:Fal:Key"] = FakeKey;
        using var http = factory.CreateClient();

        using var models = await http.GetAsync("/api/models");
        var body = await models.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var webhook = await http.PostJsonAsync("/webhooks/fal", """{"request_id":"x","status":"OK"}""");

        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Contains("\"provider\":\"fal\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeKey, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, webhook.StatusCode);
    }

    [Fact]
    public async Task WithoutFalKey_NoFalModelsAndNoWebhookEndpoint()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FAL_KEY")))
        {
            Assert.Fail("FAL_KEY is set in the test environment; unset it for the test run.");
        }
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();

        using var models = await http.GetAsync("/api/models");
        using var webhook = await http.PostJsonAsync("/webhooks/fal", "{}");

        Assert.DoesNotContain("\"provider\":\"fal\"", await models.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, webhook.StatusCode);
    }
}
