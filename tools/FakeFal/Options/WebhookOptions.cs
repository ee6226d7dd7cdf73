namespace FakeFal.Options;

/// <summary>Delivery and signing of <c>fal_webhook</c> callbacks.</summary>
public sealed class WebhookOptions
{
    /// <summary>Value of <c>X-Fal-Webhook-User-Id</c>.</summary>
    /// <value>The default value is <c>fakefal-user</c>.</value>
    public string UserId { get; set; } = "fakefal-user";

    /// <summary>
    /// ED25519 private key as a base64url (or hex) 32-byte seed. Set it to keep the JWKS stable
    /// across restarts.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: a fresh key pair per process.</value>
    public string? PrivateKeySeed { get; set; }

    /// <summary>Attempts per delivery (a non-2xx answer or a network error is retried).</summary>
    /// <value>The default value is 5.</value>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubles per attempt.</summary>
    /// <value>The default value is 0.5 s.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Timeout of one delivery attempt.</summary>
    /// <value>The default value is 10 s.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
