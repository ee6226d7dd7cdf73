using System.Collections.Concurrent;

namespace FakeFal.Queue;

/// <summary>
/// All known requests by id. A completed request past its retention is gone: lookups remove it
/// and answer as for an unknown id (404), as fal does after its result window.
/// </summary>
public sealed class RequestStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, FalRequest> _requests = new(StringComparer.Ordinal);

    public int Count => _requests.Count;

    public void Add(FalRequest request) => _requests[request.Id] = request;

    public FalRequest? Find(string appId, string requestId)
    {
        if (!_requests.TryGetValue(requestId, out var request) || request.AppId != appId)
        {
            return null;
        }

        if (request.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            _requests.TryRemove(requestId, out _);
            return null;
        }

        return request;
    }

    /// <summary>Looks a request up by id alone (control API), ignoring retention.</summary>
    public FalRequest? Get(string requestId) => _requests.GetValueOrDefault(requestId);

    /// <summary>Forgets a request at once, as if its retention had ended.</summary>
    public bool Expire(string requestId) => _requests.TryRemove(requestId, out _);

    public IReadOnlyList<FalRequest> Snapshot() => [.. _requests.Values];

    public void Clear() => _requests.Clear();
}
