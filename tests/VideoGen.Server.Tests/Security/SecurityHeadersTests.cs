using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Security;

/// <summary>Every response carries the strict CSP, nosniff and Referrer-Policy; the page's own files need nothing the CSP forbids.</summary>
public sealed partial class SecurityHeadersTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/index.html")]
    [InlineData("GET", "/app.js")]
    [InlineData("GET", "/app.css")]
    [InlineData("GET", "/api/models")]
    [InlineData("GET", "/api/videos")]
    [InlineData("GET", "/api/videos/00000000000000000000000000000000")]
    [InlineData("GET", "/media/videos/none.mp4")]
    [InlineData("GET", "/no/such/page")]
    [InlineData("GET", "/health/live")]
    [InlineData("POST", "/api/videos")]
    public async Task EveryResponse_CarriesSecurityHeaders(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{", Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);

        SurfaceRequests.AssertSecurityHeaders(response, $"{method} {path} ({(int)response.StatusCode})");
    }

    [Fact]
    public async Task Csp_AllowsMediaFromPublicBaseUrl()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:PublicBaseUrl"] = "https://videos.example.com/base";
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/");

        var csp = SurfaceRequests.Header(response, "Content-Security-Policy")!;
        Assert.Contains("media-src 'self' https://videos.example.com;", csp, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' https://videos.example.com;", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("index.html")]
    public void Page_HasNoInlineScriptStyleOrHandlers(string file)
    {
        var html = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "VideoGen.Server", "wwwroot", file));

        Assert.Empty(InlineScript().Matches(html).Select(m => m.Value));
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(StyleOrHandlerAttribute().Matches(html).Select(m => m.Value));
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("data:", html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\s(style|on[a-z]+)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleOrHandlerAttribute();
}
