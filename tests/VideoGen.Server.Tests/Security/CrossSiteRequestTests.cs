using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Security;

/// <summary>
/// State-changing API routes refuse what a browser sends on behalf of another site (the <c>no-cors</c> form and
/// text posts a page can make without a preflight), and nothing changes; the page's own requests and clients that
/// are not browsers still work.
/// </summary>
public sealed class CrossSiteRequestTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    /// <summary>Headers a browser adds: (Origin, Sec-Fetch-Site); null leaves the header out.</summary>
    public static TheoryData<string, string?, string?> CrossSiteHeaders => new()
    {
        { "cross-site page", "http://evil.example", "cross-site" },
        { "other local port (same site)", "http://localhost:3000", "same-site" },
        { "old browser: Origin only", "http://evil.example", null },
        { "sandboxed page", "null", "cross-site" },
        { "opaque origin without fetch metadata", "null", null },
        { "fetch metadata only", null, "cross-site" },
        { "https variant of our host", "https://localhost", null },
    };

    [Theory]
    [MemberData(nameof(CrossSiteHeaders))]
    public async Task CrossSite_StateChangingRequests_AreRefusedAndChangeNothing(string what, string? origin, string? fetchSite)
    {
        var video = (await Http.CreateVideoAsync("a fox")).GetProperty("id").GetString()!;
        var before = await SurfaceState.ReadAsync(Factory);
        var attacks = new (HttpMethod Method, string Path, Func<HttpContent?> Body)[]
        {
            (HttpMethod.Post, "/api/videos", () => new StringContent("""{"prompt":"paid video"}""", Encoding.UTF8, "text/plain")),
            (HttpMethod.Post, "/api/videos", () => new StringContent("""{"prompt":"paid video"}""", Encoding.UTF8, "application/json")),
            (HttpMethod.Post, "/api/videos", () => new FormUrlEncodedContent([new("prompt", "paid video")])),
            (HttpMethod.Post, $"/api/videos/{video}/cancel", () => null),
            (HttpMethod.Post, $"/api/videos/{video}/cancel", () => new StringContent("x", Encoding.UTF8, "text/plain")),
            (HttpMethod.Post, "/api/admin/queues/videos/pause", () => null),
            (HttpMethod.Post, $"/api/admin/queues/videos/jobs/{video}/retry", () => null),
            (HttpMethod.Delete, $"/api/admin/queues/videos/jobs/{video}", () => null),
            (HttpMethod.Post, "/api/uploads", () => PngForm()),
            (HttpMethod.Put, "/api/videos", () => new StringContent("{}", Encoding.UTF8, "application/json")),
            (HttpMethod.Patch, $"/api/videos/{video}", () => new StringContent("{}", Encoding.UTF8, "application/json")),
        };

        foreach (var (method, path, body) in attacks)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body() };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            if (fetchSite is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", fetchSite);
                request.Headers.Add("Sec-Fetch-Mode", "no-cors");
            }

            using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);

            await SurfaceRequests.AssertProblemAsync(response, HttpStatusCode.Forbidden, $"{what}: {method} {path}");
        }
        Assert.Equal(before, await SurfaceState.ReadAsync(Factory));
    }

    [Theory]
    [InlineData("http://localhost", "same-origin")]
    [InlineData("http://localhost", null)]
    [InlineData(null, "none")]
    [InlineData(null, null)]
    [InlineData("https://videos.example.com", null)]
    public async Task SameOriginOrNonBrowser_CanCreateAndCancel(string? origin, string? fetchSite)
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:PublicBaseUrl"] = "https://videos.example.com";
        using var http = factory.CreateClient();

        using var create = Request(HttpMethod.Post, "/api/videos", origin, fetchSite, new StringContent("""{"prompt":"a fox"}""", Encoding.UTF8, "application/json"));
        using var created = await http.SendAsync(create, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetString();
        using var cancel = Request(HttpMethod.Post, $"/api/videos/{id}/cancel", origin, fetchSite, null);
        using var canceled = await http.SendAsync(cancel, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal("canceled", (await canceled.JsonAsync()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task BodyThatIsNotJson_OnJsonRoute_Is415AndChangesNothing(string contentType)
    {
        var video = (await Http.CreateVideoAsync("a fox")).GetProperty("id").GetString()!;
        var before = await SurfaceState.ReadAsync(Factory);
        foreach (var path in new[] { $"/api/videos/{video}/cancel", "/api/admin/queues/videos/pause", "/api/videos" })
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"prompt":"x"}"""));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

            using var response = await Http.PostAsync(path, content, TestContext.Current.CancellationToken);

            await SurfaceRequests.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, $"{contentType} to {path}");
        }
        Assert.Equal(before, await SurfaceState.ReadAsync(Factory));
    }

    [Fact]
    public async Task Upload_AcceptsMultipartOnly()
    {
        using var multipart = await Http.PostAsync("/api/uploads", PngForm(), TestContext.Current.CancellationToken);
        using var json = await Http.PostAsync("/api/uploads", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, multipart.StatusCode);
        await SurfaceRequests.AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "JSON to /api/uploads");
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? origin, string? fetchSite, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        return request;
    }

    /// <summary>A valid 1×1 PNG.</summary>
    internal const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    internal static MultipartFormDataContent PngForm()
    {
        var form = new MultipartFormDataContent();
        var png = new ByteArrayContent(Convert.FromBase64String(OnePixelPng));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(png, "image", "a.png");
        return form;
    }
}
