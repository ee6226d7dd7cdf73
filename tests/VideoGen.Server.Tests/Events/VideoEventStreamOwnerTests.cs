using System.Net;
using VideoGen.Server.Tests.Accounts;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Events;

/// <summary>
/// Everything belongs to someone, event streams too: a user's list stream carries only their own videos, an admin's
/// carries everyone's, and a stream of someone else's video does not exist (404).
/// </summary>
public sealed class VideoEventStreamOwnerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ListStreams_CarryOwnVideosToUsers_AndEveryonesToAdmins()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false, Settings = { ["VideoGen:Accounts:SignUp"] = "open" } };
        await factory.CreateUserAsync("a@example.com");
        await factory.CreateUserAsync("b@example.com");
        await factory.CreateUserAsync("admin@example.com", admin: true);
        using var a = await factory.SignedInClientAsync("a@example.com");
        using var b = await factory.SignedInClientAsync("b@example.com");
        using var admin = await factory.SignedInClientAsync("admin@example.com");
        using var aStream = await SseClient.OpenAsync(a, "/api/videos/events");
        using var bStream = await SseClient.OpenAsync(b, "/api/videos/events");
        using var adminStream = await SseClient.OpenAsync(admin, "/api/videos/events");

        var aVideo = (await a.CreateVideoAsync("a's secret")).GetProperty("id").GetString()!;
        var bVideo = (await b.CreateVideoAsync("b's own")).GetProperty("id").GetString()!;

        Assert.Equal(aVideo, (await aStream.NextAsync(Wait, "A's video on A's stream"))!.VideoId);
        // B's first event is B's own video: A's, published before it, never reached B's stream.
        Assert.Equal(bVideo, (await bStream.NextAsync(Wait, "B's video on B's stream"))!.VideoId);
        var seenByAdmin = new[] { (await adminStream.NextAsync(Wait, "the admin's first event"))!.VideoId, (await adminStream.NextAsync(Wait, "the admin's second event"))!.VideoId };
        Assert.Equal(new[] { aVideo, bVideo }.Order(StringComparer.Ordinal), seenByAdmin.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StreamOfSomeoneElsesVideo_Is404_AndHoldsNoStream()
    {
        await using var factory = new VideoGenFactory { WorkersEnabled = false, Settings = { ["VideoGen:Accounts:SignUp"] = "open" } };
        await factory.CreateUserAsync("a@example.com");
        await factory.CreateUserAsync("b@example.com");
        using var a = await factory.SignedInClientAsync("a@example.com");
        using var b = await factory.SignedInClientAsync("b@example.com");
        var aVideo = (await a.CreateVideoAsync("a's secret")).GetProperty("id").GetString()!;

        using var stream = await SseClient.OpenAsync(b, $"/api/videos/{aVideo}/events");

        Assert.Equal(HttpStatusCode.NotFound, stream.Response.StatusCode);
        Assert.Equal(0, factory.Services.GetService(typeof(VideoGen.Server.Events.VideoEventHub)) is VideoGen.Server.Events.VideoEventHub hub ? hub.Subscribers : -1);
    }
}
