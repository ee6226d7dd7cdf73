using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace VideoGen.Server.Events;

/// <summary>
/// An SSE event id, <c>{epoch}-{sequence}-{unix ms}</c>: the pump's run (<paramref name="Epoch"/>, new each
/// process start), its change counter, and the changed video's update time. A client resumes with it
/// (<c>Last-Event-ID</c>): the same run replays what it missed from its ring of recent changes; another
/// run or process (a restart, another server behind the load balancer) falls back to the videos updated
/// since <paramref name="UpdatedAtMs"/>, re-read from the database.
/// </summary>
public readonly record struct StreamPosition(string Epoch, long Sequence, long UpdatedAtMs)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Epoch}-{Sequence}-{UpdatedAtMs}");

    /// <summary>Reads a <c>Last-Event-ID</c>; anything this server did not write is refused (the stream then starts fresh).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out StreamPosition? position)
    {
        position = null;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }
        var parts = text.Split('-');
        if (parts.Length != 3 || parts[0].Length is 0 or > 16 || !parts[0].All(char.IsAsciiHexDigitLower)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var at))
        {
            return false;
        }
        position = new StreamPosition(parts[0], sequence, at);
        return true;
    }
}
