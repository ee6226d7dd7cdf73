using System.Net;
using System.Net.Sockets;

namespace VideoGen.Core.Media;

public sealed partial class VideoIngestor
{
    /// <summary>Whether <paramref name="url"/> may be fetched at all (scheme and host form); addresses are checked at connect time.</summary>
    public static bool IsAcceptableUrl(Uri url, bool allowLoopbackHttp, out string reason)
    {
        reason = "";
        if (!url.IsAbsoluteUri || string.IsNullOrEmpty(url.Host) || !string.IsNullOrEmpty(url.UserInfo))
        {
            reason = "The result URL must be an absolute URL without credentials.";
            return false;
        }
        if (url.Scheme == Uri.UriSchemeHttps)
        {
            return true;
        }
        if (url.Scheme == Uri.UriSchemeHttp && allowLoopbackHttp && IsLoopbackHost(url))
        {
            return true;
        }
        reason = $"Only https result URLs are accepted (got {url.Scheme}: {url}).";
        return false;
    }

    private static bool IsLoopbackHost(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

    private async Task DownloadAsync(Uri url, string target, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.DownloadTimeout);
        var current = url;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (!IsAcceptableUrl(current, _options.AllowLoopbackHttp, out var reason))
                {
                    throw Refused(reason);
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (redirects >= _options.MaxRedirects)
                    {
                        throw Refused("Too many redirects.");
                    }
                    current = location.IsAbsoluteUri ? location : new Uri(current, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    var transient = status is 408 or 425 or 429 or >= 500;
                    throw new IngestException($"Downloading the result failed with HTTP {status}.", transient, IngestErrorTypes.Http, detail: $"GET {current} answered {status}.");
                }
                CheckContentType(response);
                if (response.Content.Headers.ContentLength is { } declared && declared > _options.MaxBytes)
                {
                    throw TooLarge();
                }
                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    total += read;
                    if (total > _options.MaxBytes)
                    {
                        throw TooLarge();
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), timeout.Token);
                }
                return;
            }
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new IngestException($"Downloading the result took longer than {_options.DownloadTimeout}.", isTransient: true, IngestErrorTypes.Timeout, ex);
        }
        catch (HttpRequestException ex) when (FindBlocked(ex) is { } blocked)
        {
            throw Refused(blocked.Message);
        }
        catch (HttpRequestException ex)
        {
            throw new IngestException("Downloading the result failed (network error).", isTransient: true, IngestErrorTypes.Network, ex);
        }
        catch (IOException ex) when (ex.InnerException is SocketException or HttpRequestException)
        {
            throw new IngestException("Downloading the result failed (network error).", isTransient: true, IngestErrorTypes.Network, ex);
        }
    }

    private void CheckContentType(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type is null || type.StartsWith("video/", StringComparison.OrdinalIgnoreCase) || AcceptedContentTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }
        throw new IngestException("The result is not a video (wrong content type).", isTransient: false, IngestErrorTypes.NotVideo, detail: $"Content type '{type}'.");
    }

    private IngestException TooLarge() => new($"The result is larger than the {_options.MaxBytes} byte limit.", isTransient: false, IngestErrorTypes.TooLarge);

    private static BlockedAddressException? FindBlocked(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is BlockedAddressException b)
            {
                return b;
            }
        }
        return null;
    }
}
