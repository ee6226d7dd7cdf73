using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace VideoGen.Core.Providers.Fal;

/// <summary>The four signature headers fal sends with every webhook, as received.</summary>
public sealed record FalWebhookHeaders(string? RequestId, string? UserId, string? Timestamp, string? Signature)
{
    public const string RequestIdHeader = "X-Fal-Webhook-Request-Id";
    public const string UserIdHeader = "X-Fal-Webhook-User-Id";
    public const string TimestampHeader = "X-Fal-Webhook-Timestamp";
    public const string SignatureHeader = "X-Fal-Webhook-Signature";
}

/// <summary>
/// Verifies a fal webhook as fal specifies: the ED25519 signature (hex) over request id, user id, timestamp and the
/// hex SHA-256 of the raw body, joined by newlines, by any key of fal's JWKS; timestamp (unix seconds) within
/// ±<see cref="FalOptions.WebhookTolerance"/> of our clock; each signed delivery accepted once (<see cref="FalReplayGuard"/>).
/// Nothing in the body is trusted: a valid webhook only tells which request to look at.
/// </summary>
public sealed class FalWebhookVerifier(
    FalJwksCache jwks,
    FalReplayGuard replays,
    IOptionsMonitor<FalOptions> options,
    TimeProvider time,
    ILogger<FalWebhookVerifier> logger)
{
    private const int MaxIdLength = 256;

    public async Task<FalWebhookVerification> VerifyAsync(FalWebhookHeaders headers, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (Malformed(headers) is { } problem)
        {
            return FalWebhookVerification.Malformed(problem);
        }

        var requestId = headers.RequestId!;
        var userId = headers.UserId!;
        var timestampText = headers.Timestamp!;
        var timestamp = long.Parse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture);
        var signature = Convert.FromHexString(headers.Signature!);

        var o = options.CurrentValue;
        var age = time.GetUtcNow().ToUnixTimeSeconds() - timestamp;
        if (age > o.WebhookTolerance.TotalSeconds)
        {
            return FalWebhookVerification.Invalid("timestamp too old");
        }

        if (-age > o.WebhookTolerance.TotalSeconds)
        {
            return FalWebhookVerification.Invalid("timestamp in the future");
        }

        if (o.ExpectedWebhookUserId is { Length: > 0 } expected && !string.Equals(expected, userId, StringComparison.Ordinal))
        {
            return FalWebhookVerification.Invalid("unexpected user id");
        }

        var message = Message(requestId, userId, timestampText, body.Span);
        bool verified;
        try
        {
            verified = AnyKeyVerifies(await jwks.GetKeysAsync(ct).ConfigureAwait(false), message, signature);
            if (!verified && await jwks.RefreshAfterUnknownSignatureAsync(ct).ConfigureAwait(false) is { } refreshed)
            {
                verified = AnyKeyVerifies(refreshed, message, signature);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Text.Json.JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "fal JWKS unavailable; webhook for {RequestId} not verified", requestId);
            return FalWebhookVerification.Unavailable("signing keys unavailable");
        }

        if (!verified)
        {
            return FalWebhookVerification.Invalid("signature does not verify");
        }

        if (!replays.TryRecord(requestId, timestamp, headers.Signature!))
        {
            return FalWebhookVerification.Invalid("replayed delivery");
        }

        return FalWebhookVerification.Valid(requestId);
    }

    /// <summary>The signed message: request id, user id, timestamp, lowercase hex SHA-256 of the body, joined by "\n".</summary>
    public static byte[] Message(string requestId, string userId, string timestamp, ReadOnlySpan<byte> body)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(body));
        return Encoding.UTF8.GetBytes(string.Join('\n', requestId, userId, timestamp, digest));
    }

    private static bool AnyKeyVerifies(IReadOnlyList<PublicKey> keys, byte[] message, byte[] signature)
    {
        foreach (var key in keys)
        {
            if (SignatureAlgorithm.Ed25519.Verify(key, message, signature))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Malformed(FalWebhookHeaders h)
    {
        if (string.IsNullOrEmpty(h.RequestId) || string.IsNullOrEmpty(h.UserId) || string.IsNullOrEmpty(h.Timestamp) || string.IsNullOrEmpty(h.Signature))
        {
            return "missing X-Fal-Webhook-* header";
        }

        // A newline inside a field would make two different header sets sign the same message.
        if (h.RequestId.Length > MaxIdLength || h.UserId.Length > MaxIdLength || h.RequestId.AsSpan().ContainsAny('\n', '\r') || h.UserId.AsSpan().ContainsAny('\n', '\r'))
        {
            return "bad request or user id header";
        }

        if (h.Timestamp.Length > 12 || !h.Timestamp.All(char.IsAsciiDigit))
        {
            return "timestamp is not unix seconds";
        }

        if (h.Signature.Length != 128 || !h.Signature.All(char.IsAsciiHexDigit))
        {
            return "signature is not 64 hex-encoded bytes";
        }

        return null;
    }
}
