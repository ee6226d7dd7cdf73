using System.Text.Json.Nodes;

namespace FakeFal.Stats;

/// <summary>What the storage API did: files announced, files whose bytes arrived, multipart parts, bytes stored, refusals.</summary>
public sealed class StorageCounters
{
    private long _initiated;
    private long _uploads;
    private long _parts;
    private long _bytes;
    private long _refused;

    /// <summary>An initiate call (single or multipart) that announced a file.</summary>
    public void Initiated() => Interlocked.Increment(ref _initiated);

    /// <summary>A file whose bytes all arrived (a single PUT, or a multipart complete).</summary>
    public void Uploaded(long bytes)
    {
        Interlocked.Increment(ref _uploads);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Part() => Interlocked.Increment(ref _parts);

    /// <summary>A storage call answered with a 4xx (auth, token, size, bad body).</summary>
    public void Refused() => Interlocked.Increment(ref _refused);

    public void Reset()
    {
        Interlocked.Exchange(ref _initiated, 0);
        Interlocked.Exchange(ref _uploads, 0);
        Interlocked.Exchange(ref _parts, 0);
        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _refused, 0);
    }

    public JsonObject ToJson() => new()
    {
        ["initiated"] = Interlocked.Read(ref _initiated),
        ["uploads"] = Interlocked.Read(ref _uploads),
        ["parts"] = Interlocked.Read(ref _parts),
        ["bytes"] = Interlocked.Read(ref _bytes),
        ["refused"] = Interlocked.Read(ref _refused),
    };
}
