using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoGen.Core.Models;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// fal.ai behind <see cref="IVideoProvider"/>. Serves the models of <see cref="FalModelCatalog"/>. The handle holds the
/// URLs fal returned, so a new worker re-attaches without rebuilding them. The video id is the submit's idempotency key.
/// </summary>
/// <param name="imageInput">Makes an image-to-video request's image fetchable by fal.</param>
/// <param name="clients">Makes a <see cref="FalClient"/> per call: this provider is a singleton and typed HTTP clients are
/// short-lived, so the client factory's handler rotation keeps working.</param>
/// <param name="options">fal settings, read per call.</param>
/// <param name="logger">Where submits are logged.</param>
public sealed partial class FalVideoProvider(FalImageInput imageInput, Func<FalClient> clients, IOptionsMonitor<FalOptions> options, ILogger<FalVideoProvider> logger) : IVideoProvider
{
    public const string ProviderName = "fal";

    public string Name => ProviderName;

    public bool Serves(string modelId) => FalModelCatalog.Find(modelId) is not null;

    /// <summary>
    /// True only when the endpoint deduplicates submits on the video id (<see cref="FalOptions.SubmitDeduplicatesOnIdempotencyKey"/>).
    /// A pipeline that finds a video left in "submitting" without a request id (a crash after sending) may submit again
    /// only when this is true; otherwise the outcome is unknown and resubmitting could pay twice.
    /// </summary>
    public bool DeduplicatesSubmits => options.CurrentValue.SubmitDeduplicatesOnIdempotencyKey;

    /// <summary>fal calls the request's <c>fal_webhook</c> URL when it ends (verified by <see cref="FalWebhookVerifier"/>).</summary>
    public bool SupportsWebhooks => true;

    /// <summary>
    /// Gives an image-to-video request an image URL fal can fetch (see <see cref="FalImageInput"/>): our own relative
    /// upload URL becomes our public URL, or is uploaded to fal storage when we have none. Unpaid, so safe to repeat.
    /// </summary>
    public async Task<ProviderRequest> PrepareAsync(ProviderRequest request, CancellationToken ct)
    {
        if (FalModelCatalog.Find(request.Model) is not { AcceptsImage: true })
        {
            return request;
        }

        var imageUrl = await imageInput.ResolveAsync(request.VideoId, request.ImageUrl, ct).ConfigureAwait(false);
        return imageUrl == request.ImageUrl ? request : request with { ImageUrl = imageUrl };
    }

    /// <summary>
    /// fal's queue URLs of request <paramref name="requestId"/> as its queue protocol defines them:
    /// <c>{BaseUrl}/{app}/requests/{id}</c> (+ <c>/status</c>, <c>/cancel</c>), where {app} is the model id's first two
    /// segments. Only for a request whose submit answer was lost; a normal submit keeps the URLs fal returned.
    /// </summary>
    public ProviderHandle? HandleFor(string model, string requestId)
    {
        var segments = model.Split('/');
        if (FalModelCatalog.Find(model) is null || !FalClient.IsValidModelId(model) || segments.Length < 2
            || requestId.Length is 0 or > 100 || !requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var requests = $"{options.CurrentValue.BaseUrl.AbsoluteUri.TrimEnd('/')}/{segments[0]}/{segments[1]}/requests/{requestId}";
        return new ProviderHandle(ProviderName, model, requestId, requests + "/status", requests, requests + "/cancel");
    }

    public async Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct)
    {
        var model = FalModelCatalog.Find(request.Model)
            ?? throw new ProviderException(ProviderErrorKind.Permanent, $"fal does not serve '{request.Model}' here.", FalErrorTypes.Validation);
        if (UploadedImageUrl.TryParse(request.ImageUrl?.Trim(), out _))
        {
            // A caller that skipped PrepareAsync: fal could never fetch a relative URL.
            request = await PrepareAsync(request, ct).ConfigureAwait(false);
        }

        var input = FalInputMapper.Map(model, request);
        var submitted = await Client().SubmitAsync(request.Model, input, request.VideoId, request.WebhookUrl, ct).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(submitted.StatusUrl) || string.IsNullOrWhiteSpace(submitted.ResponseUrl))
        {
            // fal documents these; without them we cannot follow the request and must not guess its URLs.
            logger.LogWarning("fal submit for video {VideoId} returned request {RequestId} without status/response URLs", request.VideoId, submitted.RequestId);
        }

        logger.LogInformation("fal accepted video {VideoId} as request {RequestId}", request.VideoId, submitted.RequestId);
        return new ProviderHandle(ProviderName, request.Model, submitted.RequestId!, submitted.StatusUrl, submitted.ResponseUrl, submitted.CancelUrl);
    }

    public async Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct)
    {
        var status = await Client().GetStatusAsync(Require(handle.StatusUrl, "status"), ct).ConfigureAwait(false);
        if (status is null)
        {
            return new ProviderStatus(ProviderPhase.NotFound, Error: "fal no longer knows this request (expired).", ErrorType: FalErrorTypes.Expired);
        }

        var logs = LastLines(status.Logs, options.CurrentValue.MaxLogLines);
        return status.Status switch
        {
            "IN_QUEUE" => new ProviderStatus(ProviderPhase.InQueue, QueuePosition: status.QueuePosition, Logs: logs),
            "IN_PROGRESS" => new ProviderStatus(ProviderPhase.InProgress, Progress: Clamp(status.Progress) ?? ProgressFromLogs(status.Logs), Logs: logs),
            "COMPLETED" when status.Error is not null || status.ErrorType is not null =>
                new ProviderStatus(ProviderPhase.Failed, Logs: logs, Error: FalErrors.Shorten(status.Error) ?? "fal reported an error.", ErrorType: status.ErrorType),
            "COMPLETED" => new ProviderStatus(ProviderPhase.Completed, Progress: 1, Logs: logs),
            "FAILED" or "ERROR" => new ProviderStatus(ProviderPhase.Failed, Logs: logs, Error: FalErrors.Shorten(status.Error) ?? "fal reported a failure.", ErrorType: status.ErrorType),
            "CANCELED" or "CANCELLED" => new ProviderStatus(ProviderPhase.Failed, Logs: logs, Error: "Canceled at fal.", ErrorType: "canceled"),
            _ => throw FalErrors.BadResponse("status", $"unknown status '{FalErrors.Shorten(status.Status)}'"),
        };
    }

    public async Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct)
    {
        using var doc = await Client().GetResultAsync(Require(handle.ResponseUrl, "result"), ct).ConfigureAwait(false);
        return FalResultParser.Parse(doc.RootElement, options.CurrentValue.AllowLoopback);
    }

    public Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct) =>
        Client().CancelAsync(Require(handle.CancelUrl, "cancel"), ct);

    private FalClient Client() => clients();

    private static string Require(string? url, string what) =>
        string.IsNullOrWhiteSpace(url)
            ? throw new ProviderException(ProviderErrorKind.Permanent, $"The fal handle has no {what} URL.", FalErrorTypes.BadResponse)
            : url;

    private static IReadOnlyList<string>? LastLines(IReadOnlyList<FalLogEntry>? logs, int max)
    {
        if (logs is null || logs.Count == 0 || max == 0)
        {
            return null;
        }

        return logs.Skip(Math.Max(0, logs.Count - max))
            .Select(l => FalErrors.Shorten(l.Message) ?? "")
            .Where(m => m.Length > 0)
            .ToList();
    }

    /// <summary>fal has no progress field; many models log "…: 42%". The last such line is the best guess we have.</summary>
    internal static double? ProgressFromLogs(IReadOnlyList<FalLogEntry>? logs)
    {
        if (logs is null)
        {
            return null;
        }

        for (var i = logs.Count - 1; i >= 0; i--)
        {
            if (logs[i].Message is { } m && PercentPattern().Match(m) is { Success: true } match
                && int.TryParse(match.Groups[1].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pct))
            {
                return Math.Clamp(pct / 100.0, 0, 1);
            }
        }

        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d{1,3})\s*%")]
    private static partial System.Text.RegularExpressions.Regex PercentPattern();

    private static double? Clamp(double? progress) => progress is { } p && double.IsFinite(p) ? Math.Clamp(p > 1 ? p / 100 : p, 0, 1) : null;
}
