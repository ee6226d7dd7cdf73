using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// fal's storage upload, exactly as the official JS client (<c>@fal-ai/client</c> 1.10.1, <c>src/storage.js</c>) does it
/// for files up to 90 MB: <c>POST {StorageBaseUrl}/storage/upload/initiate?storage_type=fal-cdn-v3</c> with
/// <c>Authorization: Key …</c> and JSON <c>{content_type, file_name}</c> → <c>{upload_url, file_url}</c>; then
/// <c>PUT upload_url</c> with the bytes and their <c>Content-Type</c> and no key (the URL is pre-signed); the file is
/// then at <c>file_url</c>. Uploads are not billed, so both calls go through transport retries (see
/// <see cref="FalServiceCollectionExtensions"/>). The key goes only to <see cref="FalOptions.StorageBaseUrl"/>.
/// </summary>
public sealed class FalStorageClient(HttpClient http, IOptionsMonitor<FalOptions> options, TimeProvider time)
{
    public const string HttpClientName = "VideoGen.Fal.Storage";

    /// <summary>The initiate path and query the official client uses.</summary>
    public const string InitiatePath = "storage/upload/initiate?storage_type=fal-cdn-v3";

    private const string Operation = "image upload to fal storage";

    /// <summary>
    /// Uploads <paramref name="content"/> and returns the file URL fal can read it from. Throws <see cref="ProviderException"/>:
    /// Transient for 5xx / 408 / timeouts / network errors / unreadable answers, RateLimited for 429, Permanent for other refusals.
    /// </summary>
    public async Task<Uri> UploadAsync(byte[] content, string contentType, string fileName, CancellationToken ct)
    {
        var o = options.CurrentValue;
        if (!o.HasKey)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "fal key is not configured.", FalErrorTypes.Unauthorized);
        }

        var target = await InitiateAsync(o, contentType, fileName, ct).ConfigureAwait(false);
        await PutAsync(target.UploadUrl, content, contentType, ct).ConfigureAwait(false);
        return target.FileUrl;
    }

    private async Task<(Uri UploadUrl, Uri FileUrl)> InitiateAsync(FalOptions o, string contentType, string fileName, CancellationToken ct)
    {
        var url = new Uri(o.StorageBaseUrl.AbsoluteUri.TrimEnd('/') + "/" + InitiatePath);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new FalUploadInitiateRequest(contentType, fileName), options: FalJson.Options),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Key", o.Key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, presigned: false, ct).ConfigureAwait(false);
        FalUploadInitiateResponse? body;
        try
        {
            body = await response.Content.ReadFromJsonAsync<FalUploadInitiateResponse>(FalJson.Options, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException or NotSupportedException)
        {
            throw FalErrors.BadResponse(Operation, "invalid JSON", ex);
        }

        return (Allowed(body?.UploadUrl, "upload_url", o), Allowed(body?.FileUrl, "file_url", o));
    }

    private async Task PutAsync(Uri uploadUrl, byte[] content, string contentType, CancellationToken ct)
    {
        // A byte array so a transport retry can send the same body again.
        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, presigned: true, ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutRejectedException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            throw FalErrors.Transport(Operation, ex);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, bool presigned, CancellationToken ct)
    {
        if (FalErrors.IsSuccess(response.StatusCode))
        {
            return;
        }

        // The PUT carries no key: a refusal there is the pre-signed URL (e.g. expired), and a new attempt gets a new one.
        if (presigned && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ProviderException(ProviderErrorKind.Transient, $"fal storage refused the pre-signed upload URL (HTTP {(int)response.StatusCode}).", FalErrorTypes.StorageRejected);
        }

        // 404/410 mean "no such upload" here, not an expired generation.
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"fal storage refused the {Operation} (HTTP {(int)response.StatusCode}).", FalErrorTypes.StorageRejected);
        }

        var error = await FalErrors.FromResponseAsync(response, Operation, time, ct).ConfigureAwait(false);
        throw error.Kind == ProviderErrorKind.Permanent && error.ErrorType is not (FalErrorTypes.Unauthorized or FalErrorTypes.Validation)
            ? new ProviderException(ProviderErrorKind.Permanent, error.Message, FalErrorTypes.StorageRejected, inner: error)
            : error;
    }

    /// <summary>URLs from fal's answer are used as given, but only https (http to loopback in tests): we send our image there.</summary>
    private static Uri Allowed(string? url, string field, FalOptions o) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && FalOptionsValidator.IsAllowedUrl(uri, o.AllowLoopback)
            ? uri
            : throw new ProviderException(
                ProviderErrorKind.Permanent,
                $"fal storage answered without a usable {field} (https required).",
                FalErrorTypes.BadResponse);
}
