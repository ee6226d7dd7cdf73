using System.Collections.Concurrent;
using System.Text.Json;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Tests.Support;

/// <summary>
/// A stand-in for the server's database: rows are stored as copies (like a real store), so the
/// pipeline only sees what it saved. <see cref="AfterSave"/> can throw to simulate a crash right
/// after a write became durable.
/// </summary>
public sealed class InMemoryVideoRepository : IVideoRepository
{
    private readonly ConcurrentDictionary<string, string> _rows = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Video> _history = new();
    private readonly Lock _writes = new();

    public Action<Video>? AfterSave { get; set; }

    /// <summary>Every saved version, in order.</summary>
    public IReadOnlyList<Video> History => [.. _history];

    public void Add(Video video) => _rows[video.Id] = JsonSerializer.Serialize(video);

    public Video Get(string id) => JsonSerializer.Deserialize<Video>(_rows[id])!;

    /// <summary>Changes a row the way another process (the API) would.</summary>
    public void Update(string id, Action<Video> change)
    {
        var v = Get(id);
        change(v);
        Add(v);
    }

    public Task<Video?> FindAsync(string id, CancellationToken ct) =>
        Task.FromResult(_rows.TryGetValue(id, out var json) ? JsonSerializer.Deserialize<Video>(json) : null);

    public Task<bool> IsRequestHeldByAnotherVideoAsync(string provider, string requestId, string videoId, CancellationToken ct) =>
        Task.FromResult(_rows.Values
            .Select(json => JsonSerializer.Deserialize<Video>(json)!)
            .Any(v => v.ProviderRequestId == requestId && v.Provider == provider && v.Id != videoId));

    /// <summary>Compare-and-set on status and request id, atomically (one lock), like the server's repository.</summary>
    public Task<bool> TrySaveAsync(Video video, StoredVideoState expected, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_writes)
        {
            if (!_rows.TryGetValue(video.Id, out var stored) || StoredVideoState.Of(JsonSerializer.Deserialize<Video>(stored)!) != expected)
            {
                return Task.FromResult(false);
            }

            // The IVideoRepository contract: a save never clears a cancel request stored meanwhile.
            var copy = JsonSerializer.Deserialize<Video>(JsonSerializer.Serialize(video))!;
            if (copy.CancelRequestedAt is null && JsonSerializer.Deserialize<Video>(stored)!.CancelRequestedAt is { } requested)
            {
                copy.CancelRequestedAt = requested;
            }
            Add(copy);
            _history.Enqueue(Get(video.Id));
        }
        AfterSave?.Invoke(Get(video.Id));
        return Task.FromResult(true);
    }
}
