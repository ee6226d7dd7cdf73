namespace VideoGen.Core.Providers.Fal;

public enum FalWebhookOutcome
{
    /// <summary>Signed by fal, fresh, first delivery: act on it.</summary>
    Valid,

    /// <summary>Well-formed but not acceptable: forged, stale, from the future, replayed, wrong user. Answer 401.</summary>
    Invalid,

    /// <summary>Missing or garbled headers. Answer 400.</summary>
    Malformed,

    /// <summary>fal's keys could not be fetched, so nothing can be verified now. Answer 503; fal retries.</summary>
    Unavailable,
}

/// <summary>The verdict on one webhook delivery. <see cref="RequestId"/> is set (from the signed header) only when valid.</summary>
public sealed record FalWebhookVerification(FalWebhookOutcome Outcome, string? Reason = null, string? RequestId = null)
{
    public static FalWebhookVerification Valid(string requestId) => new(FalWebhookOutcome.Valid, null, requestId);

    public static FalWebhookVerification Invalid(string reason) => new(FalWebhookOutcome.Invalid, reason);

    public static FalWebhookVerification Malformed(string reason) => new(FalWebhookOutcome.Malformed, reason);

    public static FalWebhookVerification Unavailable(string reason) => new(FalWebhookOutcome.Unavailable, reason);
}
