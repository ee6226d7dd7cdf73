using System.Net;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Security;

/// <summary>Only loopback names, the PublicBaseUrl host and configured names are served: a DNS-rebinding page (its own name resolving to 127.0.0.1) gets 400.</summary>
public sealed class HostFilteringTests
{
    [Theory]
    [InlineData("http://evil.example/api/videos")]
    [InlineData("http://evil.example:5080/api/models")]
    [InlineData("http://127.0.0.1.evil.example/")]
    [InlineData("http://localhost.evil.example/health/live")]
    public async Task UnexpectedHost_IsRefusedWithProblemDetails(string url)
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(new Uri(url), TestContext.Current.CancellationToken);

        var problem = await SurfaceRequests.AssertProblemAsync(response, HttpStatusCode.BadRequest, url);
        Assert.Equal("Host not served", problem.GetProperty("title").GetString());
        Assert.DoesNotContain("evil.example", problem.GetRawText(), StringComparison.Ordinal);
        SurfaceRequests.AssertSecurityHeaders(response, url);
    }

    [Fact]
    public async Task UnexpectedHost_CannotCreateVideos()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        using var http = factory.CreateClient();

        using var response = await http.PostAsync(new Uri("http://evil.example/api/videos"),
            new StringContent("""{"prompt":"a fox"}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await SurfaceRequests.AssertProblemAsync(response, HttpStatusCode.BadRequest, "POST with Host evil.example");
        Assert.Empty(await factory.VideosInDatabaseAsync());
    }

    [Theory]
    [InlineData("http://localhost/api/models")]
    [InlineData("http://127.0.0.1/api/models")]
    [InlineData("http://[::1]:5080/api/models")]
    [InlineData("http://videos.example.com/api/models")]
    [InlineData("http://lan-box/api/models")]
    [InlineData("http://a.studio.example/api/models")]
    public async Task ExpectedHost_IsServed(string url)
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:PublicBaseUrl"] = "https://videos.example.com";
        factory.Settings["VideoGen:Security:AllowedHosts:0"] = "lan-box";
        factory.Settings["VideoGen:Security:AllowedHosts:1"] = "*.studio.example";
        using var http = factory.CreateClient();

        using var response = await http.GetAsync(new Uri(url), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
