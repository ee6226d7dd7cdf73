using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Core.Models;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;
using VideoGen.Core.Tests.Support;

namespace VideoGen.Core.Tests.Fal;

/// <summary>
/// Image-to-video inputs: our own upload URL is made fetchable for fal — our public URL when configured, else an upload
/// to fal storage (against tools/FakeFal as a real process, and a recording server for the exact wire shape).
/// </summary>
public sealed class FalImageUploadTests(FakeFalServer server) : IClassFixture<FakeFalServer>, IDisposable
{
    private const string ImageModel = FalModelCatalog.KlingImageToVideo;
    private const string Key = "test-id:test-secret";

    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private readonly TempDir _dir = new();
    private readonly List<ServiceProvider> _providers = [];
    private LocalFolderMediaStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalFolderMediaStore Store => _store ??= new LocalFolderMediaStore(_dir.Sub("media"));

    private FalVideoProvider Provider(Uri? publicBaseUrl = null, Uri? storageBaseUrl = null, int maxRetries = 2)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:Key"] = Key,
            ["VideoGen:Providers:Fal:BaseUrl"] = server.BaseUrl.ToString(),
            ["VideoGen:Providers:Fal:StorageBaseUrl"] = (storageBaseUrl ?? server.BaseUrl).ToString(),
            ["VideoGen:Providers:Fal:JwksUrl"] = new Uri(server.BaseUrl, "/.well-known/jwks.json").ToString(),
            ["VideoGen:Providers:Fal:AllowLoopback"] = "true",
            ["VideoGen:Providers:Fal:RetryBaseDelay"] = "00:00:00.020",
            ["VideoGen:Providers:Fal:MaxRetryAttempts"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VideoGen:Providers:Fal:AttemptTimeout"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddFalProvider(config);
        services.AddSingleton<IMediaStore>(Store);
        services.Configure<PublicUrlOptions>(o => o.PublicBaseUrl = publicBaseUrl);
        var sp = services.BuildServiceProvider(validateScopes: true);
        _providers.Add(sp);
        return sp.GetRequiredService<FalVideoProvider>();
    }

    /// <summary>Stores <paramref name="bytes"/> as an upload, the way POST /api/uploads does, and returns its relative URL.</summary>
    private async Task<string> UploadAsync(byte[] bytes, string extension = "png")
    {
        var name = $"{Guid.NewGuid():N}.{extension}";
        await Store.SaveAsync($"uploads/{name}", new MemoryStream(bytes), Ct);
        return "/media/uploads/" + name;
    }

    private static ProviderRequest Request(string? imageUrl, string model = ImageModel) =>
        new("vid-" + Guid.NewGuid().ToString("N"), model, "the picture comes alive", null, """{"duration":"5"}""", imageUrl, null, null);

    private static long Storage(JsonObject stats, string counter) => stats["storage"]![counter]!.GetValue<long>();

    [Fact]
    public async Task Prepare_OurUploadWithoutPublicBaseUrl_UploadsToFalStorage_AndUsesItsFileUrl()
    {
        await server.ResetAsync();
        var fal = Provider();
        var request = Request(await UploadAsync(Png));

        var prepared = await fal.PrepareAsync(request, Ct);

        Assert.StartsWith(new Uri(server.BaseUrl, "/files/uploads/").AbsoluteUri, prepared.ImageUrl, StringComparison.Ordinal);
        Assert.EndsWith(request.ImageUrl![UploadedPrefix.Length..], prepared.ImageUrl, StringComparison.Ordinal);
        Assert.Equal(request with { ImageUrl = prepared.ImageUrl }, prepared);
        using var http = new HttpClient();
        using var served = await http.GetAsync(prepared.ImageUrl, Ct);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync(Ct));
        var stats = await server.StatsAsync();
        Assert.Equal(1, Storage(stats, "initiated"));
        Assert.Equal(1, Storage(stats, "uploads"));
        Assert.Equal(0, stats["submissions"]!["total"]!.GetValue<long>()); // preparing never submits
    }

    private const string UploadedPrefix = "/media/uploads/";

    [Fact]
    public async Task Submit_AfterPrepare_SendsFalsFileUrlAsImageUrl_OnceAndWithoutAnotherUpload()
    {
        await server.ResetAsync();
        var fal = Provider();
        var prepared = await fal.PrepareAsync(Request(await UploadAsync(Png)), Ct);

        var handle = await fal.SubmitAsync(prepared, Ct);

        var input = (await server.Control.GetFromJsonAsyncObject($"/_fake/requests/{handle.RequestId}"))["input"]!;
        Assert.Equal(prepared.ImageUrl, (string?)input["image_url"]);
        var stats = await server.StatsAsync();
        Assert.Equal(1, stats["submissions"]!["by_idempotency_key"]![prepared.VideoId]!.GetValue<long>());
        Assert.Equal(1, Storage(stats, "uploads"));
    }

    [Fact]
    public async Task Submit_WithoutPrepare_OfOurUpload_StillGivesFalAFetchableUrl()
    {
        await server.ResetAsync();
        var fal = Provider();

        var handle = await fal.SubmitAsync(Request(await UploadAsync(Png)), Ct);

        var input = (await server.Control.GetFromJsonAsyncObject($"/_fake/requests/{handle.RequestId}"))["input"]!;
        Assert.StartsWith(new Uri(server.BaseUrl, "/files/uploads/").AbsoluteUri, (string?)input["image_url"], StringComparison.Ordinal);
        Assert.Equal(1, Storage(await server.StatsAsync(), "uploads"));
    }

    [Fact]
    public async Task Prepare_OurUploadWithPublicBaseUrl_BecomesOurAbsoluteUrl_WithoutUpload()
    {
        await server.ResetAsync();
        var fal = Provider(publicBaseUrl: new Uri("https://videos.example.com/"));
        var relative = await UploadAsync(Png);

        var prepared = await fal.PrepareAsync(Request(relative), Ct);

        Assert.Equal("https://videos.example.com" + relative, prepared.ImageUrl);
        Assert.Equal(0, Storage(await server.StatsAsync(), "initiated"));
    }

    [Theory]
    [InlineData("https://cdn.example.com/cat.png")]
    [InlineData(null)]
    public async Task Prepare_AnyOtherImageUrl_IsLeftAlone(string? imageUrl)
    {
        await server.ResetAsync();
        var fal = Provider();
        var request = Request(imageUrl);

        var prepared = await fal.PrepareAsync(request, Ct);

        Assert.Same(request, prepared);
        Assert.Equal(0, Storage(await server.StatsAsync(), "initiated"));
    }

    [Fact]
    public async Task Prepare_ModelWithoutImage_UploadsNothing()
    {
        await server.ResetAsync();
        var fal = Provider();
        var request = Request(await UploadAsync(Png), FalModelCatalog.KlingTextToVideo);

        var prepared = await fal.PrepareAsync(request, Ct);

        Assert.Same(request, prepared);
        Assert.Equal(0, Storage(await server.StatsAsync(), "initiated"));
    }

    [Fact]
    public async Task Prepare_UploadGoneFromMediaStore_FailsPermanently_AsImageMissing()
    {
        await server.ResetAsync();
        var fal = Provider();

        var error = await Assert.ThrowsAsync<ProviderException>(() => fal.PrepareAsync(Request($"/media/uploads/{Guid.NewGuid():N}.png"), Ct));

        Assert.Equal(ProviderErrorKind.Permanent, error.Kind);
        Assert.Equal(FalErrorTypes.ImageMissing, error.ErrorType);
        Assert.StartsWith("imageUrl:", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Storage(await server.StatsAsync(), "initiated"));
    }

    [Fact]
    public async Task Prepare_StorageInitiateAnswers5xx_IsRetriedByTransport_ThenTransient_AndNothingSubmitted()
    {
        await server.ResetAsync(new { faults = new { routes = new { storage_initiate = new { serverErrorRate = 1.0 } } } });
        var fal = Provider(maxRetries: 2);
        var request = Request(await UploadAsync(Png));

        var error = await Assert.ThrowsAsync<ProviderException>(() => fal.PrepareAsync(request, Ct));

        Assert.Equal(ProviderErrorKind.Transient, error.Kind);
        var stats = await server.StatsAsync();
        Assert.Equal(3, stats["faults"]!["storage_initiate.server_error"]!.GetValue<long>()); // 1 try + 2 transport retries
        Assert.Equal(0, Storage(stats, "initiated"));
        Assert.Equal(0, stats["submissions"]!["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Prepare_UploadPutAnswers5xxOnce_IsRetriedByTransport_AndSucceeds()
    {
        var puts = 0;
        await using var storage = new TestHttpServer(async ctx =>
        {
            var path = ctx.Request.Url!.AbsolutePath;
            if (path == "/storage/upload/initiate")
            {
                await Json(ctx, 200, $$"""{"upload_url":"http://127.0.0.1:{{ctx.Request.Url.Port}}/put/1?sig=x","file_url":"https://cdn.example/files/1.png"}""");
            }
            else
            {
                // The first PUT fails, the resent one (same bytes) is accepted.
                await Json(ctx, Interlocked.Increment(ref puts) == 1 ? 503 : 200, "{}");
            }
        });
        var fal = Provider(storageBaseUrl: storage.Url("/"));

        var prepared = await fal.PrepareAsync(Request(await UploadAsync(Png)), Ct);

        Assert.Equal("https://cdn.example/files/1.png", prepared.ImageUrl);
        Assert.Equal(2, Volatile.Read(ref puts));
    }

    [Fact]
    public async Task Prepare_StorageRefusesWith400_FailsPermanently_WithoutRetry()
    {
        await using var storage = new TestHttpServer(ctx => Json(ctx, 400, """{"detail":"Unsupported content type"}"""));
        var fal = Provider(storageBaseUrl: storage.Url("/"), maxRetries: 3);
        var request = Request(await UploadAsync(Png));

        var error = await Assert.ThrowsAsync<ProviderException>(() => fal.PrepareAsync(request, Ct));

        Assert.Equal(ProviderErrorKind.Permanent, error.Kind);
        Assert.Equal(FalErrorTypes.StorageRejected, error.ErrorType);
        Assert.Equal("Unsupported content type", error.Message);
        Assert.Equal(1, storage.Requests);
    }

    [Fact]
    public async Task Prepare_UploadUrlNotHttps_IsRefused_AndTheImageIsNotSentThere()
    {
        await using var storage = new TestHttpServer(ctx => Json(ctx, 200, """{"upload_url":"http://uploads.example.com/put/1","file_url":"https://cdn.example/files/1.png"}"""));
        var fal = Provider(storageBaseUrl: storage.Url("/"));
        var request = Request(await UploadAsync(Png));

        var error = await Assert.ThrowsAsync<ProviderException>(() => fal.PrepareAsync(request, Ct));

        Assert.Equal(ProviderErrorKind.Permanent, error.Kind);
        Assert.Equal(FalErrorTypes.BadResponse, error.ErrorType);
        Assert.Equal(1, storage.Requests);
    }

    /// <summary>The wire shape of the official client (<c>@fal-ai/client</c> 1.10.1 <c>src/storage.js</c>), recorded by a plain HTTP server.</summary>
    [Fact]
    public async Task Upload_OnTheWire_InitiatesWithKeyAndJson_ThenPutsBytesWithoutKey()
    {
        var seen = new List<(string Method, string PathAndQuery, string? Authorization, string? ContentType, byte[] Body)>();
        await using var storage = new TestHttpServer(async ctx =>
        {
            using var body = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(body);
            lock (seen)
            {
                seen.Add((ctx.Request.HttpMethod, ctx.Request.Url!.PathAndQuery, ctx.Request.Headers["Authorization"], ctx.Request.ContentType, body.ToArray()));
            }
            if (ctx.Request.HttpMethod == "POST")
            {
                await Json(ctx, 200, $$"""{"upload_url":"http://127.0.0.1:{{ctx.Request.Url.Port}}/upload/abc?X-Goog-Signature=s","file_url":"https://v3.fal.media/files/abc/x.png"}""");
            }
            else
            {
                ctx.Response.StatusCode = 200;
            }
        });
        var fal = Provider(storageBaseUrl: storage.Url("/"));
        var relative = await UploadAsync(Png);

        var prepared = await fal.PrepareAsync(Request(relative), Ct);

        Assert.Equal("https://v3.fal.media/files/abc/x.png", prepared.ImageUrl);
        Assert.Equal(2, seen.Count);
        var (method, pathAndQuery, authorization, contentType, body) = seen[0];
        Assert.Equal(("POST", "/storage/upload/initiate?storage_type=fal-cdn-v3", $"Key {Key}"), (method, pathAndQuery, authorization));
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("image/png", (string?)json["content_type"]);
        Assert.Equal(relative[UploadedPrefix.Length..], (string?)json["file_name"]);
        Assert.Equal(2, json.Count);
        Assert.Equal(("PUT", "/upload/abc?X-Goog-Signature=s", (string?)null, "image/png"), (seen[1].Method, seen[1].PathAndQuery, seen[1].Authorization, seen[1].ContentType));
        Assert.Equal(Png, seen[1].Body);
    }

    private static async Task Json(HttpListenerContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        await ctx.Response.OutputStream.WriteAsync(bytes);
    }

    public void Dispose()
    {
        foreach (var sp in _providers)
        {
            sp.Dispose();
        }

        _dir.Dispose();
    }
}

internal static class ControlClientExtensions
{
    public static async Task<JsonObject> GetFromJsonAsyncObject(this HttpClient http, string path) =>
        JsonNode.Parse(await http.GetStringAsync(path, TestContext.Current.CancellationToken))!.AsObject();
}
