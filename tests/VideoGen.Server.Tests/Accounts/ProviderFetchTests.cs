using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>An uploaded image is readable without credentials only while a video using it is at the provider (fal fetches it so).</summary>
public sealed class ProviderFetchTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    [Fact]
    public async Task Upload_IsAnonymouslyReadableOnlyWhileItsVideoIsAtTheProvider()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await Factory.CreateUserAsync("painter@example.com");
        using var signedIn = await Factory.SignedInClientAsync("painter@example.com");
        var (status, upload) = await UploadSamples.PostAsync(signedIn, UploadSamples.Form(UploadSamples.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, status);
        var url = upload.GetProperty("url").GetString()!;
        using var anonymous = Factory.AnonymousClient();

        using (var before = await anonymous.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);
        }

        var video = new Video { Id = "at-provider", UserId = owner, Prompt = "p", Model = "fal-ai/some-model", ImageUrl = url, Status = VideoStatus.InQueue };
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.Add(video);
            await db.SaveChangesAsync(ct);
        }
        using (var during = await anonymous.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Videos.Attach(video).Entity.Status = VideoStatus.Succeeded;
            await db.SaveChangesAsync(ct);
        }
        using var after = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
