using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// fal's queue protocol over a typed <see cref="HttpClient"/>: submit, status, result, cancel. Status, result and cancel
/// go through transport retries (see <see cref="FalServiceCollectionExtensions"/>); submit never does — a paid submit
/// is resent only when it provably never left (<see cref="FalSubmitFailure.NotSent"/>) or when the endpoint deduplicates
/// on <see cref="IdempotencyHeader"/>. The key is attached per request and only to fal's own hosts.
/// </summary>
public sealed partial class FalClient(HttpClient http, IOptionsMonitor<FalOptions> options, TimeProvider time)
{
    public const string HttpClientName = "VideoGen.Fal";

    /// <summary>Header carrying the video id on submit, so an endpoint that deduplicates (FakeFal) never creates two requests for one video.</summary>
    public const string IdempotencyHeader = "X-Idempotency-Key";

    private FalOptions Options => options.CurrentValue;

    /// <summary>
    /// Submits once per attempt, resending only when safe (see type docs). Throws <see cref="ProviderException"/>:
    /// Permanent with <see cref="FalErrorTypes.SubmitOutcomeUnknown"/> when the outcome is unknown and cannot be resolved.
    /// </summary>
    internal async Task<FalSubmitResponse> SubmitAsync(string modelId, JsonObject input, string idempotencyKey, Uri? webhook, CancellationToken ct)
    {
        var o = Options;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SubmitOnceAsync(modelId, input, idempotencyKey, webhook, ct).ConfigureAwait(false);
            }
            catch (FalSubmitException ex) when (ex.Failure == FalSubmitFailure.NotSent)
            {
                if (attempt >= o.SubmitAttempts)
                {
                    // Nothing reached fal, so the pipeline may submit again later.
                    throw new ProviderException(ProviderErrorKind.Transient, $"fal submit never reached fal: {ex.Message}", FalErrorTypes.Transient, inner: ex);
                }
            }
            catch (FalSubmitException ex) when (ex.Failure == FalSubmitFailure.OutcomeUnknown)
            {
                if (!o.SubmitDeduplicatesOnIdempotencyKey)
                {
                    throw new ProviderException(
                        ProviderErrorKind.Permanent,
                        "fal submit outcome unknown (the request may have been created); not resent to avoid paying twice. Check the fal dashboard.",
                        FalErrorTypes.SubmitOutcomeUnknown,
                        inner: ex);
                }

                if (attempt >= o.SubmitAttempts)
                {
                    // Safe to retry later: the endpoint answers a resend with the request it already created.
                    throw new ProviderException(ProviderErrorKind.Transient, $"fal submit outcome unknown after {attempt} attempts: {ex.Message}", FalErrorTypes.Transient, inner: ex);
                }
            }

            var delay = TimeSpan.FromMilliseconds(o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
        }
    }

    internal async Task<FalSubmitResponse> SubmitOnceAsync(string modelId, JsonObject input, string idempotencyKey, Uri? webhook, CancellationToken ct)
    {
        var o = Options;
        var url = SubmitUrl(o.BaseUrl, modelId, webhook);
        var content = new SendTrackingContent(JsonContent.Create(input, options: FalJson.Options));
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = content,
        };
        request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        Authorize(request, o);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsTransport(ex))
        {
            // Not a byte of the body was handed to the transport: fal cannot have accepted a request without it.
            throw new FalSubmitException(WasNeverSent(ex) || !content.Started ? FalSubmitFailure.NotSent : FalSubmitFailure.OutcomeUnknown, Describe(ex), ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (FalErrors.IsSuccess(response.StatusCode))
            {
                FalSubmitResponse? body;
                try
                {
                    body = await response.Content.ReadFromJsonAsync<FalSubmitResponse>(FalJson.Options, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
                {
                    // fal accepted (2xx) but we cannot read the id: a request may exist.
                    throw new FalSubmitException(FalSubmitFailure.OutcomeUnknown, "unreadable submit answer", ex);
                }

                if (string.IsNullOrWhiteSpace(body?.RequestId))
                {
                    throw new FalSubmitException(FalSubmitFailure.OutcomeUnknown, "submit answer without request_id");
                }

                return body;
            }

            // Only fal's own JSON refusal (4xx, 429) proves nothing was created. A 5xx, an HTML page or any other answer
            // may come from a gateway or CDN in front of fal's queue after the queue accepted (and will bill) the
            // request, so it is not a refusal: resending it could pay twice (see FalSubmitAnswer and the README).
            if (await FalSubmitAnswer.IsFalRefusalAsync(response, ct).ConfigureAwait(false))
            {
                throw await FalErrors.FromResponseAsync(response, "submit", time, ct).ConfigureAwait(false);
            }

            throw new FalSubmitException(FalSubmitFailure.OutcomeUnknown, $"HTTP {status} that is not fal's own refusal ({response.Content.Headers.ContentType?.MediaType ?? "no body type"})");
        }
    }

    /// <summary>Status via the URL fal returned, with logs. 404/410 → null (expired / unknown request).</summary>
    internal async Task<FalStatusResponse?> GetStatusAsync(string statusUrl, CancellationToken ct)
    {
        var url = WithQuery(Trusted(statusUrl, "status"), "logs=1");
        using var response = await SendAsync(HttpMethod.Get, url, "status", ct).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return null;
        }

        if (!FalErrors.IsSuccess(response.StatusCode))
        {
            throw await FalErrors.FromResponseAsync(response, "status", time, ct).ConfigureAwait(false);
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<FalStatusResponse>(FalJson.Options, ct).ConfigureAwait(false)
                ?? throw FalErrors.BadResponse("status", "empty body");
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            throw FalErrors.BadResponse("status", "invalid JSON", ex);
        }
    }

    /// <summary>The model's raw output (e.g. <c>{"video":{"url":…}}</c>) from the response URL fal returned.</summary>
    internal async Task<JsonDocument> GetResultAsync(string responseUrl, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, Trusted(responseUrl, "result"), "result", ct).ConfigureAwait(false);
        if (!FalErrors.IsSuccess(response.StatusCode))
        {
            throw await FalErrors.FromResponseAsync(response, "result", time, ct).ConfigureAwait(false);
        }

        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            throw FalErrors.BadResponse("result", "invalid JSON", ex);
        }
    }

    /// <summary>PUT cancel: true for CANCELLATION_REQUESTED, ALREADY_COMPLETED, or a request fal no longer knows (nothing left to stop).</summary>
    internal async Task<bool> CancelAsync(string cancelUrl, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, Trusted(cancelUrl, "cancel"), "cancel", ct).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return true;
        }

        FalCancelResponse? body = null;
        try
        {
            body = await response.Content.ReadFromJsonAsync<FalCancelResponse>(FalJson.Options, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException or NotSupportedException)
        {
            // An unreadable body still has a meaningful status code.
        }

        if (body?.Status is "CANCELLATION_REQUESTED" or "ALREADY_COMPLETED")
        {
            return true;
        }

        if (FalErrors.IsSuccess(response.StatusCode))
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            return false;
        }

        throw await FalErrors.FromResponseAsync(response, "cancel", time, ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, string operation, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        Authorize(request, Options);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsTransport(ex))
        {
            throw FalErrors.Transport(operation, ex);
        }
    }

    private static void Authorize(HttpRequestMessage request, FalOptions o)
    {
        if (!o.HasKey)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "fal key is not configured.", FalErrorTypes.Unauthorized);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Key", o.Key);
    }

    internal static Uri SubmitUrl(Uri baseUrl, string modelId, Uri? webhook)
    {
        if (!IsValidModelId(modelId))
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"Invalid fal model id '{FalErrors.Shorten(modelId)}'.", FalErrorTypes.Validation);
        }

        var url = baseUrl.AbsoluteUri.TrimEnd('/') + "/" + modelId;
        if (webhook is not null)
        {
            url += "?fal_webhook=" + Uri.EscapeDataString(webhook.AbsoluteUri);
        }

        return new Uri(url);
    }

    internal static bool IsValidModelId(string modelId) =>
        !string.IsNullOrEmpty(modelId) && modelId.Length <= 200 && !modelId.Contains("..", StringComparison.Ordinal)
        && !modelId.StartsWith('/') && !modelId.EndsWith('/')
        && modelId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/');

    /// <summary>
    /// The URL fal returned, used as is — but the key is only ever sent to https fal hosts or the configured base's host,
    /// so a tampered row cannot leak it elsewhere.
    /// </summary>
    private Uri Trusted(string url, string operation)
    {
        var o = Options;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsTrustedHost(uri, o))
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"Refusing a {operation} URL outside fal.", FalErrorTypes.BadResponse);
        }

        return uri;
    }

    internal static bool IsTrustedHost(Uri uri, FalOptions o)
    {
        if (!FalOptionsValidator.IsAllowedUrl(uri, o.AllowLoopback))
        {
            return false;
        }

        if (string.Equals(uri.Host, o.BaseUrl.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == o.BaseUrl.Port)
        {
            return true;
        }

        var host = uri.Host;
        return uri.Scheme == Uri.UriSchemeHttps
            && (host.EndsWith(".fal.run", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".fal.ai", StringComparison.OrdinalIgnoreCase));
    }

    private static Uri WithQuery(Uri url, string query)
    {
        var builder = new UriBuilder(url);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? query : builder.Query.TrimStart('?') + "&" + query;
        return builder.Uri;
    }

    private static bool IsTransport(Exception ex) =>
        ex is HttpRequestException or IOException or TimeoutRejectedException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException;

    /// <summary>Failures that happen before a byte of the request is written: DNS, TCP connect, TLS, proxy tunnel, open circuit.</summary>
    internal static bool WasNeverSent(Exception ex) => ex switch
    {
        Polly.CircuitBreaker.BrokenCircuitException => true,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } => true,
        _ => false,
    };

    private static string Describe(Exception ex) => ex switch
    {
        HttpRequestException h => $"{h.HttpRequestError}",
        TimeoutRejectedException or TaskCanceledException => "timeout",
        _ => ex.GetType().Name,
    };
}
