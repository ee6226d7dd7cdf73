using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

public sealed class FalJwksCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GetKeys_WithinCacheDuration_FetchesOnce()
    {
        using var key = new TestSigningKey();
        using var stub = new JwksStub { Document = TestSigningKey.Jwks(key) };
        using var cache = new FalJwksCache(stub, new StaticOptionsMonitor<FalOptions>(new FalOptions { JwksCacheDuration = TimeSpan.FromHours(24) }), _time, NullLogger<FalJwksCache>.Instance);
        var ct = TestContext.Current.CancellationToken;

        var first = await cache.GetKeysAsync(ct);
        _time.Advance(TimeSpan.FromHours(23));
        var second = await cache.GetKeysAsync(ct);

        Assert.Single(first);
        Assert.Same(first, second);
        Assert.Equal(1, stub.Requests);
    }

    [Fact]
    public async Task GetKeys_AfterCacheDuration_Refetches()
    {
        using var key = new TestSigningKey();
        using var stub = new JwksStub { Document = TestSigningKey.Jwks(key) };
        using var cache = new FalJwksCache(stub, new StaticOptionsMonitor<FalOptions>(new FalOptions { JwksCacheDuration = TimeSpan.FromHours(24) }), _time, NullLogger<FalJwksCache>.Instance);
        var ct = TestContext.Current.CancellationToken;

        await cache.GetKeysAsync(ct);
        _time.Advance(TimeSpan.FromHours(24));
        await cache.GetKeysAsync(ct);

        Assert.Equal(2, stub.Requests);
    }

    [Fact]
    public void ParseJwks_SkipsNonEd25519AndBadKeys()
    {
        using var key = new TestSigningKey();
        var good = key.Jwk().ToJsonString();
        var doc = $$"""
            {"keys":[
              {{good}},
              {"kty":"RSA","n":"abc","e":"AQAB"},
              {"kty":"OKP","crv":"X25519","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
              {"kty":"OKP","crv":"Ed25519","x":"c2hvcnQ"},
              {"kty":"OKP","crv":"Ed25519","x":"!!!"}
            ]}
            """;
        using var json = JsonDocument.Parse(doc);

        var keys = FalJwksCache.ParseJwks(json.RootElement);

        Assert.Single(keys);
    }
}
