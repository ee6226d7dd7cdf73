using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Data;

/// <summary>Stores <see cref="VideoStatus"/> as its wire name ("in_queue"), so the column reads the same as the API.</summary>
public sealed class VideoStatusConverter() : ValueConverter<VideoStatus, string>(
    v => v.ToWire(),
    v => VideoStatusWire.Parse(v));

/// <summary>The inverse of <see cref="VideoStatusNames.ToWire"/>.</summary>
public static class VideoStatusWire
{
    private static readonly Dictionary<string, VideoStatus> ByName =
        Enum.GetValues<VideoStatus>().ToDictionary(s => s.ToWire(), StringComparer.Ordinal);

    public static VideoStatus Parse(string value) =>
        ByName.TryGetValue(value, out var status) ? status : throw new FormatException($"Unknown video status '{value}'.");

    /// <summary>The status named <paramref name="value"/> on the wire; false for any other text.</summary>
    public static bool TryParse(string value, out VideoStatus status) => ByName.TryGetValue(value, out status);

    /// <summary>Every wire name, in the enum's order.</summary>
    public static IEnumerable<string> Names => Enum.GetValues<VideoStatus>().Select(s => s.ToWire());
}
