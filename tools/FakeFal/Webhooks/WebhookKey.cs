using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FakeFal.Options;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace FakeFal.Webhooks;

/// <summary>
/// FakeFal's own ED25519 signing key. Its public half is published as a JWKS in fal's format
/// (<c>{"keys":[{"kty":"OKP","crv":"Ed25519","x":…}]}</c>) at <c>/.well-known/jwks.json</c>.
/// </summary>
public sealed class WebhookKey : IDisposable
{
    private readonly Key _key;

    public WebhookKey(IOptions<FakeFalOptions> options)
    {
        var seed = options.Value.Webhooks.PrivateKeySeed;
        _key = string.IsNullOrWhiteSpace(seed)
            ? Key.Create(SignatureAlgorithm.Ed25519)
            : Key.Import(SignatureAlgorithm.Ed25519, DecodeSeed(seed), KeyBlobFormat.RawPrivateKey);
        PublicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = Convert.ToHexStringLower(SHA256.HashData(PublicKey))[..16];
    }

    public byte[] PublicKey { get; }

    public string KeyId { get; }

    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public JsonObject Jwks() => new()
    {
        ["keys"] = new JsonArray(new JsonObject
        {
            ["kty"] = "OKP",
            ["crv"] = "Ed25519",
            ["x"] = Base64Url.EncodeToString(PublicKey),
            ["kid"] = KeyId,
            ["alg"] = "EdDSA",
            ["use"] = "sig",
        }),
    };

    public void Dispose() => _key.Dispose();

    private static byte[] DecodeSeed(string seed)
    {
        var bytes = seed.Length == 64 && seed.All(Uri.IsHexDigit) ? Convert.FromHexString(seed) : Base64Url.DecodeFromChars(seed);
        return bytes.Length == 32
            ? bytes
            : throw new OptionsValidationException(nameof(WebhookOptions.PrivateKeySeed), typeof(WebhookOptions), ["FakeFal:Webhooks:PrivateKeySeed must be a 32-byte seed (base64url or hex)."]);
    }
}
