using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FakeFal.Webhooks;

/// <summary>
/// fal's webhook signing rule: ED25519 over the UTF-8 lines request id, user id, unix timestamp
/// and lowercase hex SHA-256 of the raw body, joined by <c>\n</c>; the signature travels as hex in
/// <c>X-Fal-Webhook-Signature</c>.
/// </summary>
public static class WebhookSignature
{
    public const string RequestIdHeader = "X-Fal-Webhook-Request-Id";
    public const string UserIdHeader = "X-Fal-Webhook-User-Id";
    public const string TimestampHeader = "X-Fal-Webhook-Timestamp";
    public const string SignatureHeader = "X-Fal-Webhook-Signature";

    public static byte[] Message(string requestId, string userId, long unixSeconds, ReadOnlySpan<byte> body)
        => Encoding.UTF8.GetBytes(string.Join('\n',
            requestId,
            userId,
            unixSeconds.ToString(CultureInfo.InvariantCulture),
            Convert.ToHexStringLower(SHA256.HashData(body))));
}
