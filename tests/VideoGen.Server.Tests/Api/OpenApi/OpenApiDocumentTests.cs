using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json describes every mapped route, and the answers routes really give fit the
/// schemas it documents for them; the API reference at /docs is served from this server under a nonce CSP.
/// </summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    /// <summary>The routes that serve the description itself (left out of it on purpose); any other route left out fails.</summary>
    public static readonly IReadOnlySet<string> DescriptionRoutes = new HashSet<string>(StringComparer.Ordinal)
    {
        "GET /openapi/{documentName}.json",
        "GET /docs/{documentName?}",
        "GET /docs/scalar.js",
        "GET /docs/scalar.aspnetcore.js",
        "GET /docs/favicon.svg",
    };

    private readonly VideoGenFactory _factory = new();
    private HttpClient _http = null!;
    private OpenApiSchemas _doc = null!;

    public async ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        using var response = await _http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _doc = new OpenApiSchemas(await response.JsonAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public void Document_IsOpenApi31_NamingTheApiAndBothWaysToAuthenticate()
    {
        Assert.StartsWith("3.1", _doc.Document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal("VideoGen API", _doc.Document.GetProperty("info").GetProperty("title").GetString());
        var schemes = _doc.Document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("apiKey").GetProperty("scheme").GetString());
        Assert.Equal("cookie", schemes.GetProperty("session").GetProperty("in").GetString());
        Assert.True(_doc.Operation("GET", "/api/videos").TryGetProperty("security", out _), "GET /api/videos needs a caller; the document must say so.");
        Assert.False(_doc.Operation("GET", "/api/account/me").TryGetProperty("security", out _), "GET /api/account/me is public.");
    }

    [Fact]
    public void EveryMappedRoute_IsInTheDocument()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var mapped = endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet(StringComparer.Ordinal);

        var missing = mapped.Except(_doc.Operations).Except(DescriptionRoutes.Select(r => "GET " + Normalize(r["GET ".Length..]))).Order().ToList();
        Assert.Empty(missing);
        var hidden = endpoints.Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Except(DescriptionRoutes).Order().ToList();
        Assert.Empty(hidden);
    }

    [Fact]
    public async Task VideoRoutes_AnswerAsDocumented()
    {
        var created = await CallAsync("POST", "/api/videos", "/api/videos", HttpStatusCode.Accepted, """{"prompt":"a documented fox","seed":5,"parameters":{"duration":2}}""");
        var id = created.GetProperty("id").GetString()!;
        await CallAsync("GET", "/api/videos/{id}", $"/api/videos/{id}", HttpStatusCode.OK);
        await _http.WaitForStatusAsync(id, s => s == "succeeded", TimeSpan.FromSeconds(60), "the documented fox to succeed");

        var done = await CallAsync("GET", "/api/videos/{id}", $"/api/videos/{id}", HttpStatusCode.OK);
        Assert.NotNull(done.GetProperty("videoUrl").GetString());
        await CallAsync("GET", "/api/videos", "/api/videos?limit=1", HttpStatusCode.OK);
        await CallAsync("POST", "/api/videos/{id}/cancel", $"/api/videos/{id}/cancel", HttpStatusCode.Conflict);
        await CallAsync("GET", "/api/videos/{id}", "/api/videos/0123456789abcdef0123456789abcdef", HttpStatusCode.NotFound);
        await CallAsync("POST", "/api/videos", "/api/videos", HttpStatusCode.BadRequest, """{"prompt":"fox","model":"no/such-model"}""");
        await CallAsync("POST", "/api/videos", "/api/videos", HttpStatusCode.UnsupportedMediaType, "prompt=fox", "text/plain");
        await CallAsync("GET", "/api/videos", "/api/videos?limit=0", HttpStatusCode.BadRequest);
        await CallAsync("DELETE", "/api/videos/{id}", $"/api/videos/{id}", HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task EventStream_SendsVideosOfTheDocumentedShape()
    {
        var created = await (await _http.PostJsonAsync("/api/videos", """{"prompt":"a streamed fox"}""")).JsonAsync();
        var schema = _doc.ResponseSchema("GET", "/api/videos/{id}/events", 200, "text/event-stream")!.Value;

        using var response = await _http.GetAsync($"/api/videos/{created.GetProperty("id").GetString()}/events", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        string? data = null;
        while (data is null && await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            data = line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : null;
        }

        Assert.NotNull(data);
        using var video = JsonDocument.Parse(data);
        Assert.Empty(_doc.Validate(video.RootElement, schema));
    }

    [Fact]
    public async Task AccountModelsAndUploadRoutes_AnswerAsDocumented()
    {
        await CallAsync("GET", "/api/models", "/api/models", HttpStatusCode.OK);
        await CallAsync("GET", "/api/account/me", "/api/account/me", HttpStatusCode.OK);
        await CallAsync("GET", "/api/account/keys", "/api/account/keys", HttpStatusCode.OK);
        await CallAsync("POST", "/api/account/keys", "/api/account/keys", HttpStatusCode.Conflict, """{"name":"single-user has no keys"}""");
        await CallAsync("POST", "/api/account/signin", "/api/account/signin", HttpStatusCode.Unauthorized, """{"email":"nobody@example.com","password":"not a password"}""");
        await CallAsync("GET", "/api/admin/workers", "/api/admin/workers", HttpStatusCode.OK);

        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/uploads") { Content = UploadSamples.Form(UploadSamples.Png, "image/png") };
        await CheckAsync("POST", "/api/uploads", upload, HttpStatusCode.Created);
    }

    [Fact]
    public async Task ApiReference_IsServedFromThisServer_WithANonceForItsOnlyInlineScript()
    {
        using var page = await _http.GetAsync("/docs/");
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Nonce().Match(csp);
        Assert.True(nonce.Success, "The /docs CSP must allow its inline script by nonce: " + csp);
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.Contains($"nonce=\"{nonce.Groups[1].Value}\"", s.Value, StringComparison.Ordinal));
        Assert.DoesNotMatch("(src|href)=\"https?://", html);
        foreach (var asset in new[] { "/docs/scalar.js", "/docs/scalar.aspnetcore.js" })
        {
            using var script = await _http.GetAsync(asset);
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)script.StatusCode}");
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
        using var api = await _http.GetAsync("/api/models");
        Assert.DoesNotContain("nonce-", string.Join(";", api.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    private Task<JsonElement> CallAsync(string method, string route, string path, HttpStatusCode expected, string? body = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        }
        return CheckAsync(method, route, request, expected);
    }

    /// <summary>Sends <paramref name="request"/>, expects <paramref name="expected"/>, and checks the answer against the document.</summary>
    private async Task<JsonElement> CheckAsync(string method, string route, HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(expected == response.StatusCode, $"{method} {request.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var schema = _doc.ResponseSchema(method, route, (int)response.StatusCode, mediaType ?? "application/json");
            if (schema is null || string.IsNullOrEmpty(text))
            {
                Assert.True(schema is null && string.IsNullOrEmpty(text), $"{method} {route} {(int)response.StatusCode}: the document and the answer disagree on whether there is a body ({text}).");
                return default;
            }
            using var json = JsonDocument.Parse(text);
            var errors = _doc.Validate(json.RootElement, schema.Value);
            Assert.True(errors.Count == 0, $"{method} {route} {(int)response.StatusCode} does not fit the document:\n{string.Join("\n", errors)}\n{text}");
            return json.RootElement.Clone();
        }
    }

    /// <summary>A route pattern as the document writes it: no trailing slash, no catch-all stars or constraints.</summary>
    internal static string Normalize(string pattern)
    {
        var path = RouteParameter().Replace(pattern, m => "{" + m.Groups[1].Value + "}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"script-src [^;]*'nonce-([A-Za-z0-9_\-+/=]+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex(@"<script\b[^>]*>")]
    private static partial Regex ScriptTag();
}
