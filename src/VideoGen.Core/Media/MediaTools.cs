using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VideoGen.Core.Media;

/// <summary>Thrown when a file is not a usable video (no video stream, unreadable, ffprobe failed).</summary>
public sealed class InvalidMediaException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// ffprobe and poster extraction over <see cref="ProcessRunner"/>; every input is opened under
/// <see cref="MediaInputPolicy"/> (local file only, video containers only).
/// </summary>
public sealed partial class MediaTools(ProcessRunner runner, IOptions<FfmpegOptions> options)
{
    private readonly FfmpegOptions _options = options.Value;
    private readonly PosterBatcher _posters = new(runner, options.Value);

    public FfmpegOptions Options => _options;

    public ProcessRunner Runner => runner;

    // Only what Parse reads: less for ffprobe to format and for us to parse.
    private const string ProbeEntries = "stream=codec_type,codec_name,width,height,duration:stream_disposition=attached_pic:format=duration,size,format_name";

    /// <summary>Reads duration, size and the first video stream; throws <see cref="InvalidMediaException"/> when there is none.</summary>
    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken ct)
    {
        var result = await runner.RunAsync(
            _options.FfprobePath,
            ["-v", "error", "-print_format", "json", "-show_entries", ProbeEntries, .. MediaInputPolicy.Input(path)],
            _options.Timeout,
            ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidMediaException($"ffprobe could not read the file: {LastLine(result.StandardErrorTail)}");
        }
        var probe = Parse(result.StandardOutput, new FileInfo(path).Length);
        if (!MediaInputPolicy.IsAllowedFormat(probe.FormatName))
        {
            throw new InvalidMediaException($"The container '{probe.FormatName}' is not an accepted video format.");
        }
        return probe;
    }

    /// <summary>
    /// Writes a JPEG of a frame near the start (at most 1 s in, never past the middle) of the first
    /// video stream that is not cover art. Posters of videos ingested at the same time share
    /// ffmpeg runs (<see cref="PosterBatcher"/>).
    /// </summary>
    public Task MakePosterAsync(string videoPath, double durationSeconds, string posterPath, CancellationToken ct) =>
        _posters.MakeAsync(videoPath, Math.Clamp(durationSeconds / 2, 0, 1), posterPath, ct);

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

    internal static string LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : lines[^1];
    }
}
