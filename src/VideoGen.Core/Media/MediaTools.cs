using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VideoGen.Core.Media;

/// <summary>Thrown when a file is not a usable video (no video stream, unreadable, ffprobe failed).</summary>
public sealed class InvalidMediaException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>ffprobe and poster extraction over <see cref="ProcessRunner"/>.</summary>
public sealed class MediaTools(ProcessRunner runner, IOptions<FfmpegOptions> options)
{
    private readonly FfmpegOptions _options = options.Value;

    public FfmpegOptions Options => _options;

    public ProcessRunner Runner => runner;

    /// <summary>Reads duration, size and the first video stream; throws <see cref="InvalidMediaException"/> when there is none.</summary>
    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken ct)
    {
        var result = await runner.RunAsync(
            _options.FfprobePath,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path],
            _options.Timeout,
            ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidMediaException($"ffprobe could not read the file: {LastLine(result.StandardErrorTail)}");
        }
        return Parse(result.StandardOutput, new FileInfo(path).Length);
    }

    /// <summary>Writes a JPEG of a frame near the start (at most 1 s in, never past the middle).</summary>
    public async Task MakePosterAsync(string videoPath, double durationSeconds, string posterPath, CancellationToken ct)
    {
        var at = Math.Clamp(durationSeconds / 2, 0, 1).ToString("0.###", CultureInfo.InvariantCulture);
        var result = await runner.RunAsync(
            _options.FfmpegPath,
            ["-hide_banner", "-nostdin", "-y", "-v", "error", "-ss", at, "-i", videoPath, "-frames:v", "1", "-q:v", "3", "-f", "image2", "-c:v", "mjpeg", posterPath],
            _options.Timeout,
            ct);
        if (result.ExitCode != 0 || !File.Exists(posterPath) || new FileInfo(posterPath).Length == 0)
        {
            throw new InvalidMediaException($"ffmpeg could not make a poster: {LastLine(result.StandardErrorTail)}");
        }
    }

    internal static MediaProbe Parse(string json, long fileSize)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidMediaException("ffprobe returned unreadable output.", ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            JsonElement? video = null;
            if (root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in streams.EnumerateArray())
                {
                    if (Str(s, "codec_type") == "video" && !IsAttachedPicture(s))
                    {
                        video = s;
                        break;
                    }
                }
            }
            if (video is not { } v)
            {
                throw new InvalidMediaException("The file has no video stream.");
            }
            var format = root.TryGetProperty("format", out var f) ? f : default;
            var duration = Num(format, "duration") ?? Num(v, "duration") ?? 0;
            var width = (int)(Num(v, "width") ?? 0);
            var height = (int)(Num(v, "height") ?? 0);
            if (width <= 0 || height <= 0)
            {
                throw new InvalidMediaException("The video stream has no frame size.");
            }
            var size = (long?)Num(format, "size") ?? fileSize;
            return new MediaProbe(duration, width, height, Str(v, "codec_name") ?? "unknown", size, Str(format, "format_name"));
        }
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.ValueKind == JsonValueKind.Number && a.GetInt32() == 1;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    private static double? Num(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var p))
        {
            return null;
        }
        return p.ValueKind switch
        {
            JsonValueKind.Number => p.GetDouble(),
            JsonValueKind.String when double.TryParse(p.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    private static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : lines[^1];
    }
}
