using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>/media serves stored files with range support and nothing outside the store.</summary>
public sealed class MediaApiTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    private async Task<byte[]> StoreAsync(string key, int size)
    {
        var bytes = Enumerable.Range(0, size).Select(i => (byte)(i % 251)).ToArray();
        var media = Factory.Services.GetRequiredService<IMediaStore>();
        await media.SaveAsync(key, new MemoryStream(bytes), TestContext.Current.CancellationToken);
        return bytes;
    }

    [Fact]
    public async Task Get_RangeRequest_Returns206WithContentRange()
    {
        var bytes = await StoreAsync("videos/range-test.mp4", 10_000);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/media/videos/range-test.mp4");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 100-199/10000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes[100..200], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_WholeFile_Returns200AndAdvertisesRanges()
    {
        var bytes = await StoreAsync("posters/whole.jpg", 1234);

        using var response = await Http.GetAsync("/media/posters/whole.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Get_UnsatisfiableRange_Returns416()
    {
        await StoreAsync("videos/short.mp4", 100);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/media/videos/short.mp4");
        request.Headers.Range = new RangeHeaderValue(5000, 6000);

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
    }

    [Theory]
    [InlineData("/media/videos/missing.mp4")]
    [InlineData("/media/..%2Fvideogen.db")]
    [InlineData("/media/videos/..%2F..%2Fvideogen.db")]
    [InlineData("/media/.tmp/x")]
    [InlineData("/media/%2Fetc%2Fpasswd")]
    [InlineData("/media/videos/a%5Cb.mp4")]
    public async Task Get_MissingOrUnsafeKey_Returns404(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
