using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Data;
using VideoGen.Server.Limits;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Limits;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /api/videos</c> and <c>POST /api/uploads</c>: the same key and body answer the first
/// answer and queue nothing new; another body is 422; keys are per user; identical requests at the same instant make one
/// video; an expired key is forgotten.
/// </summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstAnswer_AndQueuesNothingNew()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, user) = await factory.UserAsync("a@example.com");

        using var first = await user.SubmitAsync("a fox", idempotencyKey: "key-1");
        using var second = await user.SubmitAsync("a fox", idempotencyKey: "key-1");
        var firstBody = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var secondBody = await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(firstBody, secondBody);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.False(first.Headers.Contains(IdempotencyKeys.ReplayedHeaderName));
        Assert.Equal("true", second.Headers.GetValues(IdempotencyKeys.ReplayedHeaderName).Single());
        Assert.Single(await factory.VideosOfAsync(id));
        Assert.Equal(1, await factory.JobCountAsync());
    }

    [Fact]
    public async Task SameKeyOtherBody_Is422_AndStoresNothing()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, user) = await factory.UserAsync("a@example.com");
        using var first = await user.SubmitAsync("a fox", idempotencyKey: "key-1");

        using var other = await user.SubmitAsync("a cat", idempotencyKey: "key-1");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("Idempotency key reused", (await other.JsonAsync()).GetProperty("title").GetString());
        Assert.Single(await factory.VideosOfAsync(id));
    }

    [Fact]
    public async Task KeysArePerUser()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (aId, a) = await factory.UserAsync("a@example.com");
        var (bId, b) = await factory.UserAsync("b@example.com");

        using var fromA = await a.SubmitAsync("a fox", idempotencyKey: "shared-key");
        using var fromB = await b.SubmitAsync("a fox", idempotencyKey: "shared-key");

        Assert.Equal(HttpStatusCode.Accepted, fromB.StatusCode);
        Assert.False(fromB.Headers.Contains(IdempotencyKeys.ReplayedHeaderName));
        Assert.NotEqual((await fromA.JsonAsync()).GetProperty("id").GetString(), (await fromB.JsonAsync()).GetProperty("id").GetString());
        Assert.Single(await factory.VideosOfAsync(aId));
        Assert.Single(await factory.VideosOfAsync(bId));
    }

    [Fact]
    public async Task IdenticalRequestsAtTheSameInstant_MakeOneVideo()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, user) = await factory.UserAsync("a@example.com");
        using var start = new ManualResetEventSlim();

        var requests = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.Wait(TestContext.Current.CancellationToken);
            using var response = await user.SubmitAsync("the same fox", idempotencyKey: "at-once");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        })).ToList();
        start.Set();
        var answers = await Task.WhenAll(requests);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var ids = answers.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetString()).Distinct().ToList();
        Assert.Single(ids);
        Assert.Single(await factory.VideosOfAsync(id));
        Assert.Equal(1, await factory.JobCountAsync());
    }

    [Fact]
    public async Task RefusedRequest_LetsItsKeyGo_SoACorrectedRetryRuns()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, user) = await factory.UserAsync("a@example.com");

        using var invalid = await user.SubmitAsync("", idempotencyKey: "key-1");
        using var corrected = await user.SubmitAsync("a fox", idempotencyKey: "key-1");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
        Assert.Single(await factory.VideosOfAsync(id));
    }

    [Fact]
    public async Task InvalidKey_Is400()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, user) = await factory.UserAsync("a@example.com");

        using var response = await user.SubmitAsync("a fox", idempotencyKey: new string('k', IdempotencyKeys.MaxKeyLength + 1));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await factory.VideosOfAsync(id));
    }

    [Fact]
    public async Task ExpiredKey_IsForgotten_AndSweptAway()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, user) = await factory.UserAsync("a@example.com");
        using (var first = await user.SubmitAsync("a fox", idempotencyKey: "old-key"))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }
        await ExpireAllKeysAsync(factory);

        using var again = await user.SubmitAsync("a fox", idempotencyKey: "old-key");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.False(again.Headers.Contains(IdempotencyKeys.ReplayedHeaderName));
        Assert.Equal(2, (await factory.VideosOfAsync(id)).Count);
        await ExpireAllKeysAsync(factory);
        Assert.Equal(1, await factory.Services.GetRequiredService<IdempotencyStore>().DeleteExpiredAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await KeyCountAsync(factory));
    }

    [Fact]
    public async Task Upload_SameKeySameImage_ReplaysTheFirstUrl_EvenWithAnotherBoundary()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, user) = await factory.UserAsync("a@example.com");

        async Task<(HttpStatusCode Status, string Body, bool Replayed)> UploadAsync(byte[] image)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/uploads") { Content = UploadSamples.Form(image, "image/png") };
            request.Headers.Add(IdempotencyKeys.HeaderName, "upload-1");
            using var response = await user.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.Contains(IdempotencyKeys.ReplayedHeaderName));
        }

        var first = await UploadAsync(UploadSamples.Png);
        var second = await UploadAsync(UploadSamples.Png);
        var other = await UploadAsync(UploadSamples.Webp);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal((HttpStatusCode.Created, first.Body, true), second);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.Uploads.CountAsync(u => u.OwnerId == id, TestContext.Current.CancellationToken));
    }

    internal static async Task<int> KeyCountAsync(VideoGenFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.IdempotencyKeys.CountAsync(TestContext.Current.CancellationToken);
    }

    private static async Task ExpireAllKeysAsync(VideoGenFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var past = TimeProvider.System.GetUtcNow().AddHours(-1);
        await db.IdempotencyKeys.ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, past), TestContext.Current.CancellationToken);
    }
}
