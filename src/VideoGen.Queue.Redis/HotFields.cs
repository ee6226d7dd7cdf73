using System.Globalization;

namespace VideoGen.Queue.Redis;

/// <summary>
/// The fields of a job that every claim and completion changes, kept apart from its JSON record in the
/// queue's <c>hot</c> hash as one plain string, so the hot scripts never decode or encode JSON:
/// <c>state|attempt|started ms|finished ms|cancel requested ('1' or '')|lease token|length of worker id|worker id</c>,
/// then <c>=group</c> when the job has a group. The writer is <c>packHot</c> in Scripts/_prelude.lua.
/// </summary>
internal readonly record struct HotFields(
    JobState State,
    int Attempt,
    long? StartedMs,
    long? FinishedMs,
    bool CancelRequested,
    string? LeaseToken,
    string? WorkerId,
    string? Group)
{
    public static HotFields Parse(string raw)
    {
        var parts = raw.Split('|', 8);
        if (parts.Length != 8)
        {
            throw new FormatException($"Malformed hot fields of a job: '{raw}'.");
        }

        var rest = parts[7];
        var workerLength = parts[6].Length == 0 ? (int?)null : int.Parse(parts[6], CultureInfo.InvariantCulture);
        var afterWorker = rest[(workerLength ?? 0)..];
        return new HotFields(
            (JobState)int.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            OptionalLong(parts[2]),
            OptionalLong(parts[3]),
            parts[4] == "1",
            parts[5].Length == 0 ? null : parts[5],
            workerLength is { } n ? rest[..n] : null,
            afterWorker.Length == 0 ? null : afterWorker[1..]);
    }

    private static long? OptionalLong(string s) => s.Length == 0 ? null : long.Parse(s, CultureInfo.InvariantCulture);
}
