using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Models;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Makes an image-to-video request's image URL one fal can fetch. Any absolute URL is passed as given. Our own upload URL
/// (<see cref="UploadedImageUrl"/>, relative) becomes <c>{VideoGen:PublicBaseUrl}/media/uploads/…</c> when a public base
/// URL is configured; otherwise fal cannot reach us, so the bytes are read from the media store and uploaded to fal
/// storage (<see cref="FalStorageClient"/>) and fal's file URL is used. Uploads are unpaid: a retry uploads again.
/// </summary>
/// <param name="storageClients">Makes a storage client per upload (typed HTTP clients are short-lived: the client factory rotates their handlers).</param>
/// <param name="publicUrls">Our public base URL, if any.</param>
/// <param name="logger">Where uploads are logged.</param>
/// <param name="media">Where uploads are stored; without one an upload cannot be read and the video fails.</param>
public sealed partial class FalImageInput(
    Func<FalStorageClient> storageClients,
    IOptions<PublicUrlOptions> publicUrls,
    ILogger<FalImageInput> logger,
    IMediaStore? media = null)
{
    /// <summary>Largest stored image sent to fal storage (uploads are capped far lower; this bounds memory).</summary>
    public const long MaxImageBytes = 64L * 1024 * 1024;

    /// <summary>The URL to give fal as <c>image_url</c>. Throws <see cref="ProviderException"/> (Permanent when the upload is gone).</summary>
    public async Task<string?> ResolveAsync(string videoId, string? imageUrl, CancellationToken ct)
    {
        var url = imageUrl?.Trim();
        if (!UploadedImageUrl.TryParse(url, out var key))
        {
            return imageUrl;
        }

        if (publicUrls.Value.PublicBaseUrl is { } publicBase)
        {
            return publicBase.AbsoluteUri.TrimEnd('/') + url;
        }

        if (media is null)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, "No media store is configured to read the uploaded image from.", FalErrorTypes.ImageMissing);
        }

        var bytes = await ReadAsync(media, key, ct).ConfigureAwait(false);
        var fileUrl = await storageClients()
            .UploadAsync(bytes, UploadedImageUrl.ContentTypeOf(key), Path.GetFileName(key), ct)
            .ConfigureAwait(false);
        LogUploaded(videoId, key, bytes.Length);
        return fileUrl.AbsoluteUri;
    }

    private static async Task<byte[]> ReadAsync(IMediaStore media, string key, CancellationToken ct)
    {
        await using var stored = await media.OpenReadAsync(key, ct).ConfigureAwait(false)
            ?? throw new ProviderException(ProviderErrorKind.Permanent, "imageUrl: the uploaded image no longer exists; upload it again.", FalErrorTypes.ImageMissing);
        if (stored.Info.Length > MaxImageBytes)
        {
            throw new ProviderException(ProviderErrorKind.Permanent, $"The uploaded image is larger than {MaxImageBytes / (1024 * 1024)} MB.", FalErrorTypes.Validation);
        }

        var bytes = new byte[stored.Info.Length];
        await stored.Content.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
        return bytes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId}: uploaded image {MediaKey} ({Bytes} bytes) to fal storage")]
    private partial void LogUploaded(string videoId, string mediaKey, int bytes);
}
