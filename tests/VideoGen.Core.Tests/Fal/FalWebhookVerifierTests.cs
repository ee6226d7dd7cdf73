using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

public sealed class FalWebhookVerifierTests : IDisposable
{
    private const string RequestId = "764cabcf-b745-4b3e-ae38-1200304cf45b";
    private const string UserId = "user-42";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"request_id":"764cabcf-b745-4b3e-ae38-1200304cf45b","status":"OK","payload":{"video":{"url":"https://v3.fal.media/x.mp4"}}}""");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly TestSigningKey _falKey = new();
    private readonly TestSigningKey _otherKey = new();
    private readonly JwksStub _jwks = new();
    private readonly FalOptions _options = new() { Key = "k", JwksMinRefreshInterval = TimeSpan.FromMinutes(1) };
    private readonly FalJwksCache _cache;
    private readonly FalWebhookVerifier _verifier;

    public FalWebhookVerifierTests()
    {
        _jwks.Document = TestSigningKey.Jwks(_falKey);
        var monitor = new StaticOptionsMonitor<FalOptions>(_options);
        _cache = new FalJwksCache(_jwks, monitor, _time, NullLogger<FalJwksCache>.Instance);
        _verifier = new FalWebhookVerifier(_cache, new FalReplayGuard(monitor, _time), monitor, _time, NullLogger<FalWebhookVerifier>.Instance);
    }

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    private Task<FalWebhookVerification> Verify(FalWebhookHeaders headers, byte[]? body = null) =>
        _verifier.VerifyAsync(headers, body ?? Body, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Verify_SignedByFalKey_IsValidWithSignedRequestId()
    {
        var result = await Verify(_falKey.Headers(RequestId, UserId, Now, Body));

        Assert.Equal(FalWebhookOutcome.Valid, result.Outcome);
        Assert.Equal(RequestId, result.RequestId);
    }

    [Fact]
    public async Task Verify_SignedByUnknownKey_IsInvalid_AfterOneJwksRefetch()
    {
        await Verify(_falKey.Headers(RequestId, UserId, Now, Body)); // warm the _cache
        _time.Advance(TimeSpan.FromMinutes(2));

        var result = await Verify(_otherKey.Headers("other-request", UserId, Now, Body));

        Assert.Equal(FalWebhookOutcome.Invalid, result.Outcome);
        Assert.Equal("signature does not verify", result.Reason);
        Assert.Equal(2, _jwks.Requests);
    }

    [Fact]
    public async Task Verify_ForgeriesInQuickSuccession_DoNotRefetchJwksEachTime()
    {
        for (var i = 0; i < 5; i++)
        {
            var result = await Verify(_otherKey.Headers($"forged-{i}", UserId, Now, Body));
            Assert.Equal(FalWebhookOutcome.Invalid, result.Outcome);
        }

        Assert.Equal(1, _jwks.Requests);
    }

    [Fact]
    public async Task Verify_AfterKeyRotation_RefetchesJwksAndAcceptsNewKey()
    {
        await Verify(_falKey.Headers(RequestId, UserId, Now, Body));
        using var rotated = new TestSigningKey();
        _jwks.Document = TestSigningKey.Jwks(rotated);
        _time.Advance(TimeSpan.FromMinutes(2));

        var result = await Verify(rotated.Headers("after-rotation", UserId, Now, Body));

        Assert.Equal(FalWebhookOutcome.Valid, result.Outcome);
        Assert.Equal(2, _jwks.Requests);
    }

    [Fact]
    public async Task Verify_BodyChangedAfterSigning_IsInvalid()
    {
        var headers = _falKey.Headers(RequestId, UserId, Now, Body);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("x.mp4", "y.mp4", StringComparison.Ordinal));

        var result = await Verify(headers, tampered);

        Assert.Equal(FalWebhookOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public async Task Verify_RequestIdHeaderSwapped_IsInvalid()
    {
        var headers = _falKey.Headers(RequestId, UserId, Now, Body) with { RequestId = "someone-elses-request" };

        var result = await Verify(headers);

        Assert.Equal(FalWebhookOutcome.Invalid, result.Outcome);
    }

    [Fact]
    public async Task Verify_TimestampOlderThanTolerance_IsInvalid()
    {
        var result = await Verify(_falKey.Headers(RequestId, UserId, Now - 301, Body));

        Assert.Equal(FalWebhookOutcome.Invalid, result.Outcome);
        Assert.Equal("timestamp too old", result.Reason);
        Assert.Equal(0, _jwks.Requests);
    }

    [Fact]
    public async Task Verify_TimestampAtToleranceEdge_IsValid()
    {
        var result = await Verify(_falKey.Headers(RequestId, UserId, Now - 300, Body));

        Assert.Equal(FalWebhookOutcome.Valid, result.Outcome);
    }

    [Fact]
    public async Task Verify_TimestampBeyondToleranceInFuture_IsInvalid()
    {
        var result = await Verify(_falKey.Headers(RequestId, UserId, Now + 301, Body));

        Assert.Equal(FalWebhookOutcome.Invalid, result.Outcome);
        Assert.Equal("timestamp in the future", result.Reason);
    }

    [Theory]
    [InlineData(null, UserId, "1", "sig")]
    [InlineData(RequestId, "", "1", "sig")]
    [InlineData(RequestId, UserId, null, "sig")]
    [InlineData(RequestId, UserId, "1", null)]
    [InlineData(RequestId, UserId, "12.5", "sig")]
    [InlineData(RequestId, UserId, "-5", "sig")]
    [InlineData(RequestId, UserId, "1", "abcd")]
    [InlineData("id\nwith-newline", UserId, "1", "sig")]
    public async Task Verify_MalformedHeaders_IsMalformed_WithoutFetchingKeys(string? requestId, string? userId, string? timestamp, string? signature)
    {
        var validSig = _falKey.Sign(RequestId, UserId, "1", Body);
        var headers = new FalWebhookHeaders(requestId, userId, timestamp, signature == "sig" ? validSig : signature);

        var result = await Verify(headers);

        Assert.Equal(FalWebhookOutcome.Malformed, result.Outcome);
        Assert.Equal(0, _jwks.Requests);
    }

    [Fact]
    public async Task Verify_SignatureNotHex_IsMalformed()
    {
        var headers = _falKey.Headers(RequestId, UserId, Now, Body);
        headers = headers with { Signature = new string('z', 128) };

        var result = await Verify(headers);

        Assert.Equal(FalWebhookOutcome.Malformed, result.Outcome);
    }

    [Fact]
    public async Task Verify_SameDeliveryTwice_SecondIsRefusedAsReplay()
    {
        var headers = _falKey.Headers(RequestId, UserId, Now, Body);

        var first = await Verify(headers);
        _time.Advance(TimeSpan.FromSeconds(30));
        var second = await Verify(headers);

        Assert.Equal(FalWebhookOutcome.Valid, first.Outcome);
        Assert.Equal(FalWebhookOutcome.Invalid, second.Outcome);
        Assert.Equal("replayed delivery", second.Reason);
    }

    [Fact]
    public async Task Verify_RedeliveryOfSameRequestWithNewTimestamp_IsValid()
    {
        var first = await Verify(_falKey.Headers(RequestId, UserId, Now, Body));
        _time.Advance(TimeSpan.FromSeconds(5));
        var again = await Verify(_falKey.Headers(RequestId, UserId, Now, Body));

        Assert.Equal(FalWebhookOutcome.Valid, first.Outcome);
        Assert.Equal(FalWebhookOutcome.Valid, again.Outcome);
    }

    [Fact]
    public async Task Verify_WrongUserWhenUserIsPinned_IsInvalid()
    {
        _options.ExpectedWebhookUserId = "user-1";

        var result = await Verify(_falKey.Headers(RequestId, "user-2", Now, Body));

        Assert.Equal(FalWebhookOutcome.Invalid, result.Outcome);
        Assert.Equal("unexpected user id", result.Reason);
    }

    [Fact]
    public async Task Verify_JwksUnreachable_IsUnavailable()
    {
        _jwks.Fail = true;

        var result = await Verify(_falKey.Headers(RequestId, UserId, Now, Body));

        Assert.Equal(FalWebhookOutcome.Unavailable, result.Outcome);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _falKey.Dispose();
        _otherKey.Dispose();
        _jwks.Dispose();
    }
}
