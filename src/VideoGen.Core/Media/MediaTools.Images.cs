namespace VideoGen.Core.Media;

/// <summary>The image formats an upload may be, by the file extension the upload is stored under.</summary>
public enum UploadImageFormat
{
    Png,
    Jpeg,
    Webp,
}

public sealed partial class MediaTools
{
    /// <summary>Largest decoded image accepted (width × height): a small file cannot claim a gigapixel canvas.</summary>
    public const long MaxImagePixels = 50_000_000;

    /// <summary>
    /// Decodes the uploaded image at <paramref name="inputPath"/> completely, as the format its
    /// magic bytes claimed, and writes a fresh encoding of its first frame to
    /// <paramref name="outputPath"/> (same format, metadata dropped). What we then store and serve
    /// is only what the decoder understood: bytes after a valid header that are not an image fail
    /// the decode (any decoder error is fatal), and anything appended after a complete image (an
    /// HTML or script polyglot, which a full decode alone would let through for JPEG and WebP) is
    /// not carried over. Throws <see cref="InvalidMediaException"/> when the image does not decode.
    /// </summary>
    public async Task ReencodeImageAsync(string inputPath, UploadImageFormat format, string outputPath, CancellationToken ct)
    {
        var (demuxer, encoder) = format switch
        {
            UploadImageFormat.Png => ("png_pipe", (string[])["-c:v", "png", "-f", "image2"]),
            UploadImageFormat.Jpeg => ("jpeg_pipe", ["-c:v", "mjpeg", "-q:v", "2", "-f", "image2"]),
            UploadImageFormat.Webp => ("webp_pipe", ["-c:v", "libwebp", "-quality", "90", "-f", "webp"]),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        var result = await runner.RunAsync(
            _options.FfmpegPath,
            [
                "-hide_banner", "-nostdin", "-y", "-v", "error", "-xerror",
                "-protocol_whitelist", MediaInputPolicy.Protocols, "-f", demuxer,
                "-err_detect", "explode", "-max_pixels", MaxImagePixels.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-i", MediaInputPolicy.FileUrl(inputPath),
                "-map", "0:v:0", "-frames:v", "1", "-map_metadata", "-1", .. encoder, MediaInputPolicy.FileUrl(outputPath),
            ],
            _options.Timeout,
            ct);
        if (result.ExitCode != 0 || !File.Exists(outputPath) || new FileInfo(outputPath).Length == 0)
        {
            throw new InvalidMediaException($"The image does not decode: {LastLine(result.StandardErrorTail)}");
        }
    }
}
