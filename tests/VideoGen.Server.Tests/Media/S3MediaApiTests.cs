using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Media.S3;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Media;

/// <summary>
/// <c>/media</c> and uploads with <c>VideoGen:Media:Store=s3</c> against s3rver: streamed through
/// the API with range requests, or a redirect to a presigned URL that serves ranges itself.
/// </summary>
public sealed class S3MediaApiTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IAsyncDisposable
{
    private readonly List<VideoGenFactory> factories = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private (VideoGenFactory Factory, HttpClient Http) Host(string serve)
    {
        var factory = new VideoGenFactory { WorkersEnabled = false };
        foreach (var (key, value) in s3.Server.Settings(serve))
        {
            factory.Settings[key] = value;
        }
        factories.Add(factory);
        return (factory, factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
    }

    private static async Task<byte[]> StoreAsync(VideoGenFactory factory, string key, int size)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)(i % 251)).ToArray();
        await factory.Services.GetRequiredService<IMediaStore>().SaveAsync(key, new MemoryStream(bytes), Ct);
        return bytes;
    }

    [Fact]
    public void Registration_WithStoreS3_UsesTheS3Store()
    {
        var (factory, _) = Host("stream");

        Assert.IsType<S3MediaStore>(factory.Services.GetRequiredService<IMediaStore>());
    }

    [Fact]
    public async Task Stream_RangeRequest_Returns206WithContentRange()
    {
        var (factory, http) = Host("stream");
        var bytes = await StoreAsync(factory, "videos/s3-range.mp4", 10_000);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/media/videos/s3-range.mp4");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 100-199/10000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes[100..200], await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Stream_WholeObject_Returns200WithETag_AndAdvertisesRanges()
    {
        var (factory, http) = Host("stream");
        var bytes = await StoreAsync(factory, "posters/s3-whole.jpg", 1234);

        using var response = await http.GetAsync("/media/posters/s3-whole.jpg", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Stream_UnsatisfiableRange_Returns416_AndMissingKey404()
    {
        var (factory, http) = Host("stream");
        await StoreAsync(factory, "videos/s3-short.mp4", 100);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/media/videos/s3-short.mp4");
        request.Headers.Range = new RangeHeaderValue(5000, 6000);

        using var response = await http.SendAsync(request, Ct);
        using var missing = await http.GetAsync("/media/videos/s3-missing.mp4", Ct);
        using var unsafeKey = await http.GetAsync("/media/videos/..%2F..%2Fvideogen.db", Ct);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unsafeKey.StatusCode);
    }

    [Fact]
    public async Task Redirect_AnswersFoundToAPresignedUrl_ThatServesTheRange()
    {
        var (factory, http) = Host("redirect");
        var bytes = await StoreAsync(factory, "videos/s3-redirect.mp4", 30_000);

        using var response = await http.GetAsync("/media/videos/s3-redirect.mp4", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(new Uri(s3.Server.Endpoint, S3rverServer.Bucket + "/videos/s3-redirect.mp4?").AbsoluteUri, location.AbsoluteUri, StringComparison.Ordinal);
        using var direct = new HttpClient();
        using var ranged = new HttpRequestMessage(HttpMethod.Get, location);
        ranged.Headers.Range = new RangeHeaderValue(29_000, null);
        using var part = await direct.SendAsync(ranged, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[29_000..], await part.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Upload_IsStoredInTheBucket_NotInTheDataDir_AndServedBack()
    {
        var (factory, http) = Host("stream");

        var (status, body) = await UploadSamples.PostAsync(http, UploadSamples.Form(UploadSamples.Png, "image/png"));

        Assert.Equal(HttpStatusCode.Created, status);
        var url = body.GetProperty("url").GetString()!;
        var key = url["/media/".Length..];
        // The upload is re-encoded before it is stored, so what is served is what the bucket holds, not the bytes sent.
        var stored = await factory.Services.GetRequiredService<IMediaStore>().OpenReadAsync(key, Ct);
        Assert.NotNull(stored);
        var storedBytes = new MemoryStream();
        await using (stored)
        {
            await stored.Content.CopyToAsync(storedBytes, Ct);
        }
        Assert.Equal(PngSignature, storedBytes.ToArray()[..8]);
        Assert.False(File.Exists(Path.Combine(factory.DataDir, "media", key)));
        using var served = await http.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(storedBytes.ToArray(), await served.Content.ReadAsByteArrayAsync(Ct));
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Redirect_ThePageContentSecurityPolicy_AllowsMediaFromTheObjectStore()
    {
        var (_, http) = Host("redirect");

        using var page = await http.GetAsync("/", Ct);

        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var origin = s3.Server.Endpoint.GetLeftPart(UriPartial.Authority);
        Assert.Contains($"media-src 'self' {origin}", policy, StringComparison.Ordinal);
        Assert.Contains($"img-src 'self' {origin}", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ThePageContentSecurityPolicy_AllowsOnlyOwnMedia()
    {
        var (_, http) = Host("stream");

        using var page = await http.GetAsync("/", Ct);

        Assert.Contains("media-src 'self';", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in factories)
        {
            await factory.DisposeAsync();
        }
    }
}
