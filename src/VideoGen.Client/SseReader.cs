using System.Text;

namespace VideoGen.Client;

/// <summary>One Server-Sent Event: its type (<c>message</c> when unnamed), data lines joined by newlines, and id.</summary>
internal readonly record struct SseEvent(string Type, string Data, string? Id);

/// <summary>
/// Reads a <c>text/event-stream</c> as the HTML standard describes: fields <c>event</c>, <c>data</c>, <c>id</c>,
/// <c>retry</c>; comments (heartbeats) ignored; an event dispatched at a blank line.
/// </summary>
internal sealed class SseReader(Stream stream)
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The reconnection delay the server asked for, if it did.</summary>
    public TimeSpan? Retry { get; private set; }

    /// <summary>The id of the last event that set one (kept across events, per the standard).</summary>
    public string? LastEventId { get; private set; }

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<SseEvent?> ReadAsync(CancellationToken ct)
    {
        string? type = null;
        var data = new StringBuilder();
        var hasData = false;
        while (await _reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    return new SseEvent(type ?? "message", data.ToString(), LastEventId);
                }
                type = null;
                continue;
            }
            if (line[0] == ':')
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }
            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "data":
                    if (hasData)
                    {
                        data.Append('\n');
                    }
                    data.Append(value);
                    hasData = true;
                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    LastEventId = value;
                    break;
                case "retry" when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms):
                    Retry = TimeSpan.FromMilliseconds(ms);
                    break;
            }
        }
        return null;
    }
}
