using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FakeFal.Options;

namespace FakeFal.Media;

/// <summary>
/// The size and length of a result clip, read from the model input the way fal video models take
/// it (<c>resolution</c> like <c>720p</c>, <c>aspect_ratio</c> like <c>9:16</c>). Its
/// <see cref="Name"/> (e.g. <c>1280x720-2s</c>) names the cached file and the URL folder.
/// </summary>
public sealed partial record ClipSize(int Width, int Height, int Seconds)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}-{Seconds}s");

    public static ClipSize From(JsonObject input, MediaOptions media)
    {
        var (w, h) = (media.DefaultWidth, media.DefaultHeight);
        if (Text(input, "resolution") is { } res && ResolutionPattern().Match(res) is { Success: true } m)
        {
            h = Math.Clamp(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 144, 2160);
            w = h * 16 / 9;
        }

        switch (Text(input, "aspect_ratio"))
        {
            case "9:16": (w, h) = (Math.Min(w, h), Math.Max(w, h)); break;
            case "1:1": w = h = Math.Min(w, h); break;
            default: break;
        }

        return new ClipSize(Even(w), Even(h), Math.Clamp(media.DurationSeconds, 1, 30));
    }

    public static bool TryParse(string name, out ClipSize size)
    {
        size = new ClipSize(0, 0, 0);
        var m = NamePattern().Match(name);
        if (!m.Success)
        {
            return false;
        }

        size = new ClipSize(
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        return true;
    }

    private static string? Text(JsonObject input, string key)
        => input[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int Even(int v) => Math.Max(16, v - (v % 2));

    [GeneratedRegex(@"^(\d{3,4})p$")]
    private static partial Regex ResolutionPattern();

    [GeneratedRegex(@"^(\d{2,4})x(\d{2,4})-(\d{1,2})s$")]
    private static partial Regex NamePattern();
}
