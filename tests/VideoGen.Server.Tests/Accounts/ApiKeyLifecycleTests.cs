using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>An API key is shown once, stored only as a hash, acts as its owner, records its last use, and once revoked authenticates nothing.</summary>
public sealed class ApiKeyLifecycleTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    [Fact]
    public async Task Key_CreatedUsedListedRevoked_RevokedKeyIsRefused()
    {
        var userId = await Factory.CreateUserAsync("keys@example.com");
        using var signedIn = await Factory.SignedInClientAsync("keys@example.com");
        var (id, key) = await signedIn.CreateApiKeyAsync("laptop");
        Assert.StartsWith("vg_", key, StringComparison.Ordinal);

        // Used: acts as its owner, without cookies or antiforgery token.
        using var client = Factory.ApiKeyClient(key);
        var video = await client.CreateVideoAsync("made with a key");
        var owner = (await Factory.VideosInDatabaseAsync()).Single(v => v.Id == video.GetProperty("id").GetString()).UserId;
        Assert.Equal(userId, owner);

        // Listed with its name, prefix and last use; never the key itself. Stored only as a hash.
        using (var list = await signedIn.GetAsync("/api/account/keys"))
        {
            var text = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            var listed = (await list.JsonAsync()).EnumerateArray().Single();
            Assert.Equal("laptop", listed.GetProperty("name").GetString());
            Assert.Equal(key[..11], listed.GetProperty("prefix").GetString());
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
        }
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id, TestContext.Current.CancellationToken);
            Assert.NotEqual(key, row.Hash);
            Assert.Equal(64, row.Hash.Length);
        }

        // Revoked: refused from then on.
        using (var revoke = await signedIn.DeleteAsync($"/api/account/keys/{id}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        using var refused = await client.GetAsync("/api/videos");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task UnknownKey_IsRefused()
    {
        await Factory.CreateUserAsync("someone@example.com");
        using var client = Factory.ApiKeyClient("vg_thisKeyWasNeverIssuedToAnyoneAtAll0000000");

        using var response = await client.GetAsync("/api/videos");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Key_OfDisabledAccount_IsRefused()
    {
        await Factory.CreateUserAsync("leaver@example.com");
        using var signedIn = await Factory.SignedInClientAsync("leaver@example.com");
        var (_, key) = await signedIn.CreateApiKeyAsync();
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<VideoGen.Server.Accounts.UserAdministration>().SetDisabledAsync("leaver@example.com", true));
        }
        using var client = Factory.ApiKeyClient(key);

        using var response = await client.GetAsync("/api/videos");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
