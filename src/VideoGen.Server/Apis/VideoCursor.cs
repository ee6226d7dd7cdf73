using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace VideoGen.Server.Apis;

/// <summary>
/// An opaque keyset cursor for newest-first paging: the (CreatedAt, Id) of the last item seen.
/// Stable under inserts (new videos never shift a page) and cheap (one index seek).
/// </summary>
public readonly record struct VideoCursor(DateTimeOffset CreatedAt, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + Id));

    public static bool TryDecode(string? text, out VideoCursor cursor)
    {
        cursor = default;
        if (text is null || !Paging.HasCursorLength(text))
        {
            return false;
        }
        try
        {
            var raw = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !long.TryParse(raw.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks || !VideoIds.IsWellFormed(raw[(colon + 1)..]))
            {
                return false;
            }
            cursor = new VideoCursor(new DateTimeOffset(ticks, TimeSpan.Zero), raw[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
