using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// fal's webhook signing keys (ED25519 in a JWKS), fetched lazily, trusted for at most
/// <see cref="FalOptions.JwksCacheDuration"/> (≤ 24 h), refetched early once when a signature matches no key
/// (rotation) — but not more often than <see cref="FalOptions.JwksMinRefreshInterval"/>. One fetch at a time.
/// </summary>
public sealed class FalJwksCache(IHttpClientFactory httpFactory, IOptionsMonitor<FalOptions> options, TimeProvider time, ILogger<FalJwksCache> logger) : IDisposable
{
    public const string HttpClientName = "VideoGen.Fal.Jwks";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;

    private sealed record Snapshot(IReadOnlyList<PublicKey> Keys, DateTimeOffset FetchedAt);

    /// <summary>How many times keys were fetched (for tests and metrics).</summary>
    public int FetchCount { get; private set; }

    /// <summary>The cached keys, fetching when none are cached or they are older than the cache duration.</summary>
    public async Task<IReadOnlyList<PublicKey>> GetKeysAsync(CancellationToken ct)
    {
        var snap = _current;
        if (snap is not null && time.GetUtcNow() - snap.FetchedAt < options.CurrentValue.JwksCacheDuration)
        {
            return snap.Keys;
        }

        return await RefreshAsync(snap, ct).ConfigureAwait(false);
    }

    /// <summary>Refetches after a signature matched no cached key, unless keys were fetched very recently. Null when not refetched.</summary>
    public async Task<IReadOnlyList<PublicKey>?> RefreshAfterUnknownSignatureAsync(CancellationToken ct)
    {
        var snap = _current;
        if (snap is not null && time.GetUtcNow() - snap.FetchedAt < options.CurrentValue.JwksMinRefreshInterval)
        {
            return null;
        }

        return await RefreshAsync(snap, ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<PublicKey>> RefreshAsync(Snapshot? seen, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Someone else refreshed while we waited.
            if (!ReferenceEquals(_current, seen) && _current is { } fresh)
            {
                return fresh.Keys;
            }

            var url = options.CurrentValue.JwksUrl;
            using var http = httpFactory.CreateClient(HttpClientName);
            using var response = await http.GetAsync(url, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
            var keys = ParseJwks(doc.RootElement);
            FetchCount++;
            logger.LogInformation("Fetched {Count} fal webhook key(s) from {Url}", keys.Count, url);
            _current = new Snapshot(keys, time.GetUtcNow());
            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Keeps only <c>kty=OKP, crv=Ed25519</c> keys with a 32-byte <c>x</c>; anything else is skipped.</summary>
    internal static IReadOnlyList<PublicKey> ParseJwks(JsonElement root)
    {
        var keys = new List<PublicKey>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("JWKS has no keys array.");
        }

        foreach (var jwk in array.EnumerateArray())
        {
            if (jwk.ValueKind != JsonValueKind.Object
                || Str(jwk, "kty") != "OKP" || Str(jwk, "crv") != "Ed25519" || Str(jwk, "x") is not { } x)
            {
                continue;
            }

            byte[] raw;
            try
            {
                raw = System.Buffers.Text.Base64Url.DecodeFromChars(x);
            }
            catch (FormatException)
            {
                continue;
            }

            if (raw.Length == 32 && PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out var key) && key is not null)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public void Dispose() => _gate.Dispose();
}
