using System.Net;
using System.Text;
using System.Text.Json;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>Polling path (no PublicBaseUrl, so fal cannot fetch from us) with FakeFal also serving fal's storage API.</summary>
public sealed class StorageFalStack : FalStack
{
    protected override string[] ServerArgs => [$"--VideoGen:Providers:Fal:StorageBaseUrl={FakeFal.BaseUrl.AbsoluteUri.TrimEnd('/')}"];
}

/// <summary>
/// Image-to-video through <c>videogen serve</c> and FakeFal without a public base URL: the image uploaded to us is
/// uploaded to fal storage once and fal is given that file's URL; relative image URLs that are not our uploads are refused.
/// </summary>
public sealed class FalImageUploadEndToEndTests(StorageFalStack stack) : IClassFixture<StorageFalStack>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImageToVideo_WithOurRelativeUploadUrl_UploadsOnceToFalStorage_AndSubmitsItsFileUrl()
    {
        await stack.FakeFal.ResetAsync();
        var (status, body) = await UploadSamples.PostAsync(stack.Http, UploadSamples.Form(UploadSamples.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, status);
        var url = body.GetProperty("url").GetString()!;
        Assert.Matches("^/media/uploads/[0-9a-f]{32}\\.png$", url);
        // The stored image is a re-encoding of the uploaded one: fal gets exactly what we store and serve.
        var stored = await stack.Http.GetByteArrayAsync(url, Ct);

        var id = await stack.CreateVideoAsync("the picture comes alive", FalStack.ImageToVideo, imageUrl: url);
        var video = await stack.WaitForTerminalAsync(id, TimeSpan.FromSeconds(90));

        Assert.Equal("succeeded", FalStack.Status(video));
        Assert.Equal(url, FalStack.Text(video, "imageUrl"));
        var stats = await stack.FakeFal.StatsAsync();
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(stats, id));
        Assert.Equal(1, stats.GetProperty("storage").GetProperty("initiated").GetInt32());
        Assert.Equal(1, stats.GetProperty("storage").GetProperty("uploads").GetInt32());
        Assert.Equal(stored.Length, stats.GetProperty("storage").GetProperty("bytes").GetInt32());

        using var fakeFal = new HttpClient { BaseAddress = stack.FakeFal.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var requestId = FakeFalProcess.RequestIdFor(stats, id)!;
        using var request = JsonDocument.Parse(await fakeFal.GetStringAsync($"/_fake/requests/{requestId}", Ct));
        var submittedImageUrl = request.RootElement.GetProperty("input").GetProperty("image_url").GetString()!;
        Assert.StartsWith(new Uri(stack.FakeFal.BaseUrl, "/files/uploads/").AbsoluteUri, submittedImageUrl, StringComparison.Ordinal);
        Assert.EndsWith(url["/media/uploads/".Length..], submittedImageUrl, StringComparison.Ordinal);
        Assert.Equal(stored, await fakeFal.GetByteArrayAsync(submittedImageUrl, Ct));
    }

    [Theory]
    [InlineData("/media/videos/0123456789abcdef0123456789abcdef.mp4")]
    [InlineData("/media/uploads/../videos/x.png")]
    [InlineData("/etc/passwd")]
    [InlineData("uploads/0123456789abcdef0123456789abcdef.png")]
    public async Task ImageToVideo_WithRelativeUrlThatIsNotOurUpload_Is400NamingImageUrl(string imageUrl)
    {
        var (status, problem) = await CreateAsync(imageUrl);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(["imageUrl"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ImageToVideo_WithUploadUrlWhoseFileDoesNotExist_Is400NamingImageUrl_AndNothingIsStored()
    {
        var missing = $"/media/uploads/{Guid.NewGuid():N}.png";

        var (status, problem) = await CreateAsync(missing);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["imageUrl"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Contains("POST /api/uploads", errors.GetProperty("imageUrl")[0].GetString(), StringComparison.Ordinal);
        var page = JsonDocument.Parse(await stack.Http.GetStringAsync("/api/videos?limit=100", Ct)).RootElement;
        Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), v => FalStack.Text(v, "imageUrl") == missing);
    }

    private async Task<(HttpStatusCode Status, JsonElement Problem)> CreateAsync(string imageUrl)
    {
        var json = JsonSerializer.Serialize(new { prompt = "the picture comes alive", model = FalStack.ImageToVideo, imageUrl });
        using var response = await stack.Http.PostAsync("/api/videos", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, doc.RootElement.Clone());
    }
}
