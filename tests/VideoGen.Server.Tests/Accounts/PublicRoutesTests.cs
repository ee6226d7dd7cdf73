using System.Net;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>In accounts mode the page, the health probes and the fal webhook stay reachable without credentials.</summary>
public sealed class PublicRoutesTests() : VideoGenHostTests(new VideoGenFactory
{
    WorkersEnabled = false,
    Settings = { ["VideoGen:Providers:Fal:Key"] = "test-key-0123456789:not-a-real-secret" },
})
{
    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/account.js")]
    [InlineData("/app.css")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task PublicGet_WithAccountsAndNoCredentials_Is200(string path)
    {
        await Factory.CreateUserAsync("someone@example.com");
        using var anonymous = Factory.AnonymousClient();

        using var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FalWebhook_WithAccountsAndNoCredentials_ReachesTheSignatureCheck()
    {
        await Factory.CreateUserAsync("someone@example.com");
        using var anonymous = Factory.AnonymousClient();

        using var response = await anonymous.PostJsonAsync("/webhooks/fal", """{"request_id":"x","status":"OK"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
