using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace FakeFal.Tests.Infrastructure;

/// <summary>
/// Verifies a webhook the way a fal client must, written independently of FakeFal's signer:
/// keys from the JWKS, timestamp within ±300 s, ED25519 over
/// "request id \n user id \n timestamp \n hex sha256(body)".
/// </summary>
public static class FalWebhookVerifier
{
    public static bool Verify(JsonObject jwks, ReceivedWebhook hook, DateTimeOffset now)
    {
        if (!long.TryParse(hook.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || Math.Abs(now.ToUnixTimeSeconds() - ts) > 300)
        {
            return false;
        }

        var message = Encoding.UTF8.GetBytes(
            $"{hook.RequestId}\n{hook.UserId}\n{hook.Timestamp}\n{Convert.ToHexStringLower(SHA256.HashData(hook.Body))}");
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(hook.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        foreach (var jwk in jwks["keys"]!.AsArray())
        {
            if ((string?)jwk!["kty"] != "OKP" || (string?)jwk["crv"] != "Ed25519")
            {
                continue;
            }

            var raw = Base64Url.DecodeFromChars((string)jwk["x"]!);
            var key = PublicKey.Import(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey);
            if (SignatureAlgorithm.Ed25519.Verify(key, message, signature))
            {
                return true;
            }
        }

        return false;
    }
}
