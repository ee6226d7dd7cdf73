namespace VideoGen.Core.Providers;

public enum ProviderErrorKind
{
    /// <summary>Network, 5xx, timeout: retry with backoff.</summary>
    Transient,

    /// <summary>429: retry after <see cref="ProviderException.RetryAfter"/> without burning an attempt.</summary>
    RateLimited,

    /// <summary>Validation, content policy, auth: fail at once with the provider's reason.</summary>
    Permanent,
}

/// <summary>A classified provider error; the pipeline maps the kind to retry / fail.</summary>
public class ProviderException(ProviderErrorKind kind, string message, string? errorType = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ProviderErrorKind Kind { get; } = kind;
    public string? ErrorType { get; } = errorType;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
