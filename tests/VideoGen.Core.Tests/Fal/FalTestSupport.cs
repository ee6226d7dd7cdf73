using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

/// <summary>An ED25519 signing key of our own, published as a JWKS entry, signing webhooks the way fal does.</summary>
internal sealed class TestSigningKey : IDisposable
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    public JsonObject Jwk() => new()
    {
        ["kty"] = "OKP",
        ["crv"] = "Ed25519",
        ["kid"] = Guid.NewGuid().ToString("N"),
        ["x"] = System.Buffers.Text.Base64Url.EncodeToString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
    };

    public string Sign(string requestId, string userId, string timestamp, byte[] body) =>
        Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(_key, FalWebhookVerifier.Message(requestId, userId, timestamp, body)));

    public FalWebhookHeaders Headers(string requestId, string userId, long timestamp, byte[] body)
    {
        var ts = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new FalWebhookHeaders(requestId, userId, ts, Sign(requestId, userId, ts, body));
    }

    public static string Jwks(params TestSigningKey[] keys) =>
        new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.Jwk())]) }.ToJsonString();

    public void Dispose() => _key.Dispose();
}

/// <summary>Serves a JWKS document we can change, counting requests; or fails when told to.</summary>
internal sealed class JwksStub : HttpMessageHandler, IHttpClientFactory
{
    public string Document { get; set; } = """{"keys":[]}""";

    public bool Fail { get; set; }

    public int Requests { get; private set; }

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (Fail)
        {
            throw new HttpRequestException("JWKS endpoint down (test)");
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(Document, Encoding.UTF8, "application/json"),
        });
    }
}

internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
