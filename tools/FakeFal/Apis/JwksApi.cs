using FakeFal.Webhooks;

namespace FakeFal.Apis;

/// <summary>The webhook verification keys, at the path fal publishes its own (<c>/.well-known/jwks.json</c>).</summary>
public static class JwksApi
{
    public static void MapJwksApi(this WebApplication app)
        => app.MapGet("/.well-known/jwks.json", (WebhookKey key) => Results.Json(key.Jwks()));
}
