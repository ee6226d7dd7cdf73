namespace VideoGen.Server.Accounts;

/// <summary>
/// An API key, sent as <c>Authorization: Bearer vg_…</c>. Only the SHA-256 of the key is stored (the key is
/// 256 random bits, so a fast hash is enough: nothing to brute-force); the full key is shown once, at creation.
/// </summary>
public sealed class ApiKey
{
    public required string Id { get; set; }

    /// <summary>The owner: the key acts as this user.</summary>
    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>The first characters of the key (<c>vg_abcd1234</c>), so its owner can tell keys apart; not a secret.</summary>
    public required string Prefix { get; set; }

    /// <summary>Lowercase hex SHA-256 of the whole key.</summary>
    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Last authenticated request, updated at most once a minute.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When the owner revoked it; a revoked key authenticates nothing.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
