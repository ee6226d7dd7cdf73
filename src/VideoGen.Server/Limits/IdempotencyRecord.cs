namespace VideoGen.Server.Limits;

/// <summary>
/// One <c>Idempotency-Key</c> a caller sent to a route: claimed (inserted) before the request runs, so of two identical
/// requests at the same instant only one runs, on every API server sharing the app database; then filled with the first
/// answer, replayed to every later request with the same key and body until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The caller: keys are per user.</summary>
    public required string OwnerId { get; set; }

    /// <summary>Which route the key was used on (<see cref="IdempotencyScopes"/>).</summary>
    public required string Scope { get; set; }

    public required string Key { get; set; }

    /// <summary>Lowercase hex SHA-256 of the request body (see <see cref="RequestFingerprint"/>).</summary>
    public required string RequestHash { get; set; }

    /// <summary>The first answer's status; null while the first request is still running.</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public string? ResponseBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>The routes that take an <c>Idempotency-Key</c>.</summary>
public static class IdempotencyScopes
{
    public const string Videos = "videos";
    public const string Uploads = "uploads";
}
