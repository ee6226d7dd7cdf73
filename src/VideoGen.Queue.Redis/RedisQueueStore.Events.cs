using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// Events live in one Redis stream per queue, written inside the scripts (so an event exists exactly
/// when its state change does). One stream entry holds the events of one script call; an event's
/// position is <c>entryId/index</c>, so a reader resumes after any single event.
/// </summary>
public sealed partial class RedisQueueStore
{
    private const int EventReadBatch = 256;

    public async IAsyncEnumerable<JobEvent> ReadEventsAsync(string? afterPosition, [EnumeratorCancellation] CancellationToken ct)
    {
        var (entryId, skipThrough) = afterPosition is null ? (await LastEventIdAsync(ct).ConfigureAwait(false), int.MaxValue) : ParsePosition(afterPosition);

        if (skipThrough != int.MaxValue)
        {
            // Resume inside a partly read entry.
            var partial = await ReadEntriesAsync(() => Db.StreamRangeAsync(_keys.Events, entryId, entryId, 1), ct).ConfigureAwait(false);
            foreach (var e in partial.SelectMany(Decode).Where(e => e.Index > skipThrough))
            {
                yield return e.Event;
            }
        }

        // Poll fast while events flow; back off to 5x the interval when the queue is quiet (bounded latency, little idle load).
        var idle = _options.EventPollInterval;
        while (!ct.IsCancellationRequested)
        {
            var from = entryId;
            var entries = await ReadEntriesAsync(() => Db.StreamReadAsync(_keys.Events, from, EventReadBatch), ct).ConfigureAwait(false);
            if (entries.Length == 0)
            {
                try
                {
                    await Task.Delay(idle, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.EventPollInterval.Ticks * 5));
                continue;
            }

            idle = _options.EventPollInterval;

            foreach (var entry in entries)
            {
                foreach (var e in Decode(entry))
                {
                    yield return e.Event;
                }

                entryId = entry.Id.ToString();
            }
        }
    }

    private async Task<StreamEntry[]> ReadEntriesAsync(Func<Task<StreamEntry[]>> read, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await RetryTransientAsync(read, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
            {
                // A reader outlives any outage: keep its position and try again.
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> LastEventIdAsync(CancellationToken ct)
    {
        var last = await ReadEntriesAsync(() => Db.StreamRangeAsync(_keys.Events, "-", "+", 1, Order.Descending), ct).ConfigureAwait(false);
        return last.Length == 0 ? "0-0" : last[0].Id.ToString();
    }

    private static (string EntryId, int SkipThrough) ParsePosition(string position)
    {
        var slash = position.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? (position, int.MaxValue)
            : (position[..slash], int.Parse(position[(slash + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// One entry's events (<c>[[jobId, kind, data?], ...]</c>) read with a forward-only reader straight
    /// from the reply bytes: a reader (the server's live streams) decodes every event of the queue, whichever
    /// jobs it cares about, so no DOM per entry. Workers read no events: cancel requests reach them over
    /// pub/sub (<see cref="ReadCancelRequestsAsync"/>).
    /// </summary>
    private List<(int Index, JobEvent Event)> Decode(StreamEntry entry)
    {
        var at = JobRecord.At((long)entry["t"]);
        var id = entry.Id.ToString();
        var reader = new Utf8JsonReader((byte[])entry["e"]!);
        var list = new List<(int, JobEvent)>();
        Next(ref reader, JsonTokenType.StartArray);
        var index = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var jobId = reader.TokenType == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
            reader.Read();
            var kind = (JobEventKind)reader.GetInt32();
            string? data = null;
            if (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                data = reader.GetString();
                Next(ref reader, JsonTokenType.EndArray);
            }

            list.Add((index, new JobEvent(QueueName, jobId, kind, at, data, $"{id}/{index}")));
            index++;
        }

        return list;
    }

    private static void Next(ref Utf8JsonReader reader, JsonTokenType expected)
    {
        if (!reader.Read() || reader.TokenType != expected)
        {
            throw new JsonException($"Malformed event entry: expected {expected}, found {reader.TokenType}.");
        }
    }
}
