using System.Net;
using System.Text.Json;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>An upload is usable as a video's <c>imageUrl</c> only by its owner (and admins); for anyone else it does not exist.</summary>
public sealed class UploadOwnershipTests() : VideoGenHostTests(new VideoGenFactory
{
    WorkersEnabled = false,
    Settings = { ["VideoGen:Providers:Fal:Key"] = "test-key-0123456789:not-a-real-secret" },
})
{
    private const string ImageToVideo = "fal-ai/kling-video/v2.1/standard/image-to-video";

    [Fact]
    public async Task AnotherUsersUpload_AsImageUrl_Is400NamingImageUrl_AndNothingIsStored_WhileTheOwnerMayUseIt()
    {
        await Factory.CreateUserAsync("a@example.com");
        await Factory.CreateUserAsync("b@example.com");
        await Factory.CreateUserAsync("admin@example.com", admin: true);
        using var a = await Factory.SignedInClientAsync("a@example.com");
        using var b = await Factory.SignedInClientAsync("b@example.com");
        using var admin = await Factory.SignedInClientAsync("admin@example.com");
        var (status, upload) = await UploadSamples.PostAsync(a, UploadSamples.Form(UploadSamples.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, status);
        var body = JsonSerializer.Serialize(new { prompt = "the picture comes alive", model = ImageToVideo, imageUrl = upload.GetProperty("url").GetString() });

        using (var stolen = await b.PostJsonAsync("/api/videos", body))
        {
            Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
            Assert.Equal("No uploaded image exists at this URL; upload it again with POST /api/uploads.",
                (await stolen.JsonAsync()).GetProperty("errors").GetProperty("imageUrl")[0].GetString());
        }
        Assert.Empty(await Factory.VideosInDatabaseAsync());

        using (var own = await a.PostJsonAsync("/api/videos", body))
        {
            Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        }
        using var byAdmin = await admin.PostJsonAsync("/api/videos", body);
        Assert.Equal(HttpStatusCode.Accepted, byAdmin.StatusCode);
    }
}
