using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>The callers of the isolation matrix.</summary>
public enum Caller
{
    /// <summary>User A, signed in with the session cookie (sends the antiforgery token): owns the video, the upload and the spare key.</summary>
    OwnerA,

    /// <summary>User B, with an API key.</summary>
    OtherB,

    Anonymous,

    /// <summary>An admin, with an API key.</summary>
    Admin,
}

/// <summary>
/// One server in accounts mode (workers off, sign-up open) with users A, B and an admin; A owns a succeeded video
/// (with its file and poster in the media store), an uploaded image and a spare API key.
/// </summary>
public sealed class IsolationFixture : IAsyncLifetime
{
    public VideoGenFactory Factory { get; } = new() { WorkersEnabled = false, Settings = { ["VideoGen:Accounts:SignUp"] = "open" } };

    public Dictionary<Caller, HttpClient> Clients { get; } = [];

    public string VideoId { get; private set; } = "";

    public string UploadPath { get; private set; } = "";

    public string SpareKeyId { get; private set; } = "";

    public string UserAId { get; private set; } = "";

    public string QueueName => "videos";

    public async ValueTask InitializeAsync()
    {
        UserAId = await Factory.CreateUserAsync("a@example.com");
        await Factory.CreateUserAsync("b@example.com");
        await Factory.CreateUserAsync("admin@example.com", admin: true);
        var a = await Factory.SignedInClientAsync("a@example.com");
        using var b = await Factory.SignedInClientAsync("b@example.com");
        using var admin = await Factory.SignedInClientAsync("admin@example.com");
        Clients[Caller.OwnerA] = a;
        Clients[Caller.OtherB] = Factory.ApiKeyClient((await b.CreateApiKeyAsync()).Key);
        Clients[Caller.Admin] = Factory.ApiKeyClient((await admin.CreateApiKeyAsync()).Key);
        Clients[Caller.Anonymous] = Factory.AnonymousClient();

        VideoId = (await a.CreateVideoAsync("a private fox")).GetProperty("id").GetString()!;
        await MarkSucceededWithMediaAsync(VideoId);
        var (status, upload) = await UploadSamples.PostAsync(a, UploadSamples.Form(UploadSamples.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, status);
        UploadPath = upload.GetProperty("url").GetString()!;
        SpareKeyId = (await a.CreateApiKeyAsync("spare")).Id;
    }

    /// <summary>The video as the pipeline would leave it: succeeded, with its file and poster stored.</summary>
    private async Task MarkSucceededWithMediaAsync(string id)
    {
        var ct = TestContext.Current.CancellationToken;
        var media = Factory.Services.GetRequiredService<IMediaStore>();
        await media.SaveAsync(MediaKeys.Video(id), new MemoryStream(new byte[2048]), ct);
        await media.SaveAsync(MediaKeys.Poster(id), new MemoryStream(new byte[512]), ct);
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var video = await db.Videos.SingleAsync(v => v.Id == id, ct);
        video.Status = VideoStatus.Succeeded;
        video.ResultPath = MediaKeys.Video(id);
        video.PosterPath = MediaKeys.Poster(id);
        await db.SaveChangesAsync(ct);
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients.Values)
        {
            client.Dispose();
        }
        await Factory.DisposeAsync();
    }
}
