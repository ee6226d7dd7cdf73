namespace VideoGen.Core.Providers.Fal;

/// <summary>The <see cref="ProviderException.ErrorType"/> values the fal provider sets itself (fal's own types pass through).</summary>
public static class FalErrorTypes
{
    /// <summary>fal answered 422 without a more specific type.</summary>
    public const string Validation = "validation_error";

    /// <summary>The key was refused (401/403).</summary>
    public const string Unauthorized = "fal_unauthorized";

    /// <summary>A submit may or may not have created a paid request, and the endpoint cannot deduplicate: not resent.</summary>
    public const string SubmitOutcomeUnknown = ProviderErrorTypes.SubmitOutcomeUnknown;

    /// <summary>The request or its result is gone at fal (404/410; results are kept about an hour).</summary>
    public const string Expired = "fal_request_expired";

    /// <summary>fal answered something we could not parse.</summary>
    public const string BadResponse = "fal_bad_response";

    /// <summary>The result carried no video URL we can fetch.</summary>
    public const string NoVideo = "fal_no_video";

    /// <summary>fal storage refused an image upload (not a key or validation problem).</summary>
    public const string StorageRejected = "fal_storage_rejected";

    /// <summary>The uploaded image an image-to-video request names is no longer in our media store.</summary>
    public const string ImageMissing = "image_missing";

    public const string RateLimited = "fal_rate_limited";
    public const string Transient = "fal_transient";
}
