namespace VideoGen.Core.Providers;

/// <summary>
/// A queue-style video model provider: submit returns a handle at once; status, result and cancel
/// take that handle. Shaped after fal.ai's queue API; the local preview renderer behaves the same way.
/// Implementations throw <see cref="ProviderException"/> with a classification.
/// </summary>
public interface IVideoProvider
{
    /// <summary>"local", "fal", …; stored on the Video row.</summary>
    string Name { get; }

    /// <summary>True when this provider serves <paramref name="modelId"/>.</summary>
    bool Serves(string modelId);

    /// <summary>
    /// True when submitting the same <see cref="ProviderRequest.VideoId"/> twice yields the same
    /// generation (an idempotent submit). Only then may a submit whose outcome is unknown (the
    /// worker died between sending it and saving the handle) be sent again.
    /// </summary>
    bool DeduplicatesSubmits => false;

    /// <summary>
    /// True when this provider calls us back when a request changes (a webhook to
    /// <c>{PublicBaseUrl}/webhooks/{Name}?video={id}</c>, which the server verifies and turns into a signal that
    /// wakes the waiting job). Only then does the pipeline put a <see cref="ProviderRequest.WebhookUrl"/> on a
    /// submit, and only when a public base URL is configured. The default is false: the pipeline polls.
    /// </summary>
    bool SupportsWebhooks => false;

    /// <summary>
    /// The folder on this machine this provider writes its results to, when its results are local files (a
    /// <c>file:</c> <see cref="ProviderResult.VideoUrl"/>) rather than downloads. Ingest copies a <c>file:</c> result
    /// only from below this folder, and refuses one from a provider that names none. The default is null: results are
    /// fetched over https.
    /// </summary>
    string? LocalResultsFolder => null;

    /// <summary>
    /// Unpaid work a submit needs first, returning the request to submit — e.g. turning our own
    /// upload URL into one the provider can fetch (an absolute public URL, or an upload to the
    /// provider's storage). Called before the video is marked as submitting, so it may fail or be
    /// repeated on a retry freely: nothing here can leave a paid request behind. Throws
    /// <see cref="ProviderException"/> like submit. The default returns the request unchanged.
    /// </summary>
    Task<ProviderRequest> PrepareAsync(ProviderRequest request, CancellationToken ct) => Task.FromResult(request);

    /// <summary>
    /// Starts a paid generation. The caller persists the returned handle before anything else.
    /// Never called again for a video that has a handle.
    /// </summary>
    Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct);

    /// <summary>
    /// The handle of a request this provider accepted for <paramref name="model"/> but whose submit answer never
    /// arrived, from its request id alone (learned later, e.g. from a signed webhook). Null when the provider
    /// cannot follow a request by id or the id is not one of its ids. The default is null.
    /// </summary>
    ProviderHandle? HandleFor(string model, string requestId) => null;

    /// <summary>
    /// True when this provider can look up a submit whose answer was lost (<see cref="FindLostSubmitsAsync"/>), so a
    /// video in <c>submit_unconfirmed</c> can be re-attached without a webhook. The default is false.
    /// </summary>
    bool CanFindLostSubmits => false;

    /// <summary>
    /// The requests this provider holds that may be <paramref name="request"/>'s lost submit — same model and input,
    /// sent at or after <paramref name="sentFrom"/> — oldest first, as handles to follow. Empty when none is visible
    /// (which proves nothing on its own: a provider may list a request only once it ended). The caller skips those
    /// another video already holds. Throws <see cref="ProviderException"/>. The default finds nothing.
    /// </summary>
    Task<IReadOnlyList<ProviderHandle>> FindLostSubmitsAsync(ProviderRequest request, DateTimeOffset sentFrom, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ProviderHandle>>([]);

    Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct);

    /// <summary>Where the finished video can be fetched.</summary>
    Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct);

    /// <summary>Asks the provider to stop; true when it accepted (or had nothing left to do).</summary>
    Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct);
}

/// <summary>What to generate. <see cref="VideoId"/> doubles as the idempotency key.</summary>
public sealed record ProviderRequest(
    string VideoId,
    string Model,
    string Prompt,
    long? Seed,
    string? ParametersJson,
    string? ImageUrl,
    string? NegativePrompt,
    Uri? WebhookUrl);

/// <summary>A submitted generation: everything needed to re-attach to it after a crash.</summary>
public sealed record ProviderHandle(
    string Provider,
    string Model,
    string RequestId,
    string? StatusUrl = null,
    string? ResponseUrl = null,
    string? CancelUrl = null);

public enum ProviderPhase
{
    InQueue,
    InProgress,
    Completed,
    Failed,
    /// <summary>The provider no longer knows the request (expired, 404/410).</summary>
    NotFound,
}

/// <summary>A status snapshot.</summary>
public sealed record ProviderStatus(
    ProviderPhase Phase,
    int? QueuePosition = null,
    double? Progress = null,
    IReadOnlyList<string>? Logs = null,
    string? Error = null,
    string? ErrorType = null);

/// <summary>The finished video: a URL to fetch (https, or file: below the provider's <see cref="IVideoProvider.LocalResultsFolder"/>).</summary>
public sealed record ProviderResult(Uri VideoUrl, string? ContentType = null);
