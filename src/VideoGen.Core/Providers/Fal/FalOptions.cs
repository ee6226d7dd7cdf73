using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Settings of the fal.ai provider, bound from <c>VideoGen:Providers:Fal</c>. The key may instead
/// come from the <c>FAL_KEY</c> environment variable. <see cref="ToString"/> never prints the key.
/// </summary>
public sealed class FalOptions
{
    public const string Section = "VideoGen:Providers:Fal";
    public const string KeyEnvironmentVariable = "FAL_KEY";

    /// <summary>The fal API key (sent as <c>Authorization: Key …</c>). Secret: never logged or returned.</summary>
    /// <value>No default; <c>FAL_KEY</c> is used when unset.</value>
    [Required]
    public string? Key { get; set; }

    /// <summary>Queue API base; submit goes to <c>{BaseUrl}/{model_id}</c>.</summary>
    /// <value>The default value is <c>https://queue.fal.run</c>.</value>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://queue.fal.run");

    /// <summary>
    /// fal's REST API base for storage uploads: <c>POST {StorageBaseUrl}/storage/upload/initiate</c> (as the official
    /// client does). Used only for an image-to-video input that fal cannot fetch from us (no <c>VideoGen:PublicBaseUrl</c>).
    /// </summary>
    /// <value>The default value is <c>https://rest.fal.ai</c>.</value>
    [Required]
    public Uri StorageBaseUrl { get; set; } = new("https://rest.fal.ai");

    /// <summary>
    /// fal's platform API base: a submit whose answer was lost is looked up with
    /// <c>GET {PlatformBaseUrl}/models/requests/by-endpoint</c> (see <see cref="FindLostSubmits"/>).
    /// </summary>
    /// <value>The default value is <c>https://api.fal.ai/v1</c>.</value>
    [Required]
    public Uri PlatformBaseUrl { get; set; } = new("https://api.fal.ai/v1");

    /// <summary>
    /// Looks up a submit whose answer was lost in fal's request list (the platform API's "list requests by
    /// endpoint", with payloads): a request of the video's endpoint, sent after the submit started, whose input is
    /// the video's, re-attaches the video without a webhook. It needs a key allowed to list requests and fal's
    /// payload storage on (<c>X-Fal-Store-IO</c>, the account's setting); without them nothing is found and the
    /// video waits for a webhook or the window (docs/reliability.md).
    /// </summary>
    /// <value>The default value is true.</value>
    public bool FindLostSubmits { get; set; } = true;

    /// <summary>Where fal publishes the ED25519 keys that sign webhooks.</summary>
    /// <value>The default value is <c>https://rest.alpha.fal.ai/.well-known/jwks.json</c>.</value>
    [Required]
    public Uri JwksUrl { get; set; } = new("https://rest.alpha.fal.ai/.well-known/jwks.json");

    /// <summary>How far a webhook timestamp may be from our clock, either way; also how long replays are remembered.</summary>
    /// <value>The default value is 300 seconds (fal's documented window).</value>
    [Range(typeof(TimeSpan), "00:00:10", "00:30:00")]
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>How long fetched JWKS keys are trusted before being fetched again. fal says at most 24 hours.</summary>
    /// <value>The default value is 12 hours.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan JwksCacheDuration { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// A signature no cached key verifies triggers one JWKS refetch (key rotation), at most this often,
    /// so forged webhooks cannot make us hammer fal's JWKS endpoint.
    /// </summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan JwksMinRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>When set, webhooks whose <c>X-Fal-Webhook-User-Id</c> differs are refused.</summary>
    /// <value>The default value is null (any fal user id is accepted once the signature is valid).</value>
    public string? ExpectedWebhookUserId { get; set; }

    /// <summary>Largest webhook body read; bigger ones get 413 without being verified.</summary>
    /// <value>The default value is 1 MiB.</value>
    [Range(1024, 64 * 1024 * 1024)]
    public int WebhookMaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Allows http and loopback URLs for <see cref="BaseUrl"/> / <see cref="StorageBaseUrl"/> / <see cref="JwksUrl"/>, in results
    /// and in storage upload URLs (tests, FakeFal).
    /// Off in production, where only https is accepted.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// Set only when the endpoint deduplicates submits on the <c>X-Idempotency-Key</c> header (FakeFal does;
    /// fal.ai does not document it). Then a submit whose outcome is unknown is resolved by sending it again with
    /// the same key (the endpoint answers with the request it already created). Otherwise an unknown outcome is
    /// never resent at once: the video becomes <c>submit_unconfirmed</c> and is resolved by a webhook, the request
    /// list (<see cref="FindLostSubmits"/>) or, after the pipeline's window, one more submit (docs/reliability.md).
    /// </summary>
    /// <value>The default value is false.</value>
    public bool SubmitDeduplicatesOnIdempotencyKey { get; set; }

    /// <summary>Timeout of one HTTP attempt (status, result, cancel, storage upload, and the single submit attempt).</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Overall timeout of a status, result, cancel or storage upload call including its transport retries.</summary>
    /// <value>The default value is 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Transport retries of status, result, cancel and (unpaid) storage upload calls — never of submit.</summary>
    /// <value>The default value is 4.</value>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>First backoff delay of transport retries (exponential with jitter; Retry-After wins when given).</summary>
    /// <value>The default value is 500 ms.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Connections to one fal host at once. Thousands of waiting videos poll through a few
    /// connections; an unbounded pool would open one per concurrent request in a burst and keep
    /// their buffers alive. Keep it above <c>VideoGen:Pipeline:MaxConcurrentSubmits</c>.
    /// <value>The default value is 128.</value>
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConnectionsPerServer { get; set; } = 128;

    /// <summary>
    /// Videos at fal at once, across every worker on every machine (a slot is taken before the submit and given back when
    /// the video leaves fal). Set it to the fal account's concurrency limit: beyond it fal answers 429. An admin may
    /// change it at run time (<c>PUT /api/admin/providers/fal/limits</c>).
    /// <value>The default value is null (no limit).</value>
    /// </summary>
    [Range(1, 1_000_000)]
    public int? MaxConcurrent { get; set; }

    /// <summary>Submits to fal in any sliding minute, across every machine. <value>The default value is null (no limit).</value></summary>
    [Range(1, 1_000_000)]
    public int? MaxSubmitsPerMinute { get; set; }

    /// <summary>
    /// Per fal model id (<c>VideoGen:Providers:Fal:Models:&lt;model&gt;:MaxConcurrent</c>): videos of that model at fal at
    /// once, within <see cref="MaxConcurrent"/>. <value>The default value is empty (no per-model limit).</value>
    /// </summary>
    public Dictionary<string, FalModelLimits> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many times a submit is attempted when it provably never reached fal (DNS / connect failure) or was resolved via the idempotency key.</summary>
    /// <value>The default value is 3.</value>
    [Range(1, 10)]
    public int SubmitAttempts { get; set; } = 3;

    /// <summary>How many trailing log lines a status keeps.</summary>
    /// <value>The default value is 20.</value>
    [Range(0, 1000)]
    public int MaxLogLines { get; set; } = 20;

    /// <summary>True when a key is configured (options or <c>FAL_KEY</c>).</summary>
    public bool HasKey => !string.IsNullOrWhiteSpace(Key);

    public override string ToString() =>
        $"FalOptions {{ BaseUrl = {BaseUrl}, StorageBaseUrl = {StorageBaseUrl}, JwksUrl = {JwksUrl}, Key = {(HasKey ? "***" : "<none>")}, AllowLoopback = {AllowLoopback} }}";
}
