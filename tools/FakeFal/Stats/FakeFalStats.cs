using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace FakeFal.Stats;

/// <summary>
/// Counters that let tests prove "never paid twice": accepted submissions per model, per
/// idempotency key and per request id, calls per route, injected faults, webhook deliveries,
/// storage uploads and queue-API requests per second. Served as JSON at <c>GET /_fake/stats</c>.
/// </summary>
public sealed partial class FakeFalStats(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _calls = new();
    private readonly ConcurrentDictionary<string, long> _byModel = new();
    private readonly ConcurrentDictionary<string, long> _byKey = new();
    private readonly ConcurrentDictionary<string, long> _faults = new();
    private readonly ConcurrentDictionary<string, long> _webhooks = new();
    private readonly ConcurrentDictionary<string, long> _outcomes = new();
    private readonly ConcurrentDictionary<string, RequestCounters> _byRequest = new();
    private readonly RateMeter _rate = new(time);
    private readonly StorageCounters _storage = new();
    private readonly AtFalGauge _atFal = new();
    private DateTimeOffset _since = time.GetUtcNow();
    private long _submissions;
    private long _submissionsWithoutKey;

    /// <summary>Counts one queue-API call (any outcome, including 401 and injected faults).</summary>
    public void CountCall(string route)
    {
        _calls.AddOrUpdate(route, 1, (_, n) => n + 1);
        _rate.Mark();
    }

    /// <summary>Counts a call that reached a known request.</summary>
    public void CountRequestCall(string requestId, string route)
    {
        if (_byRequest.TryGetValue(requestId, out var c))
        {
            c.Count(route);
        }
    }

    /// <summary>Counts an accepted (billable) submission.</summary>
    public void CountSubmission(string modelId, string requestId, string? idempotencyKey)
    {
        Interlocked.Increment(ref _submissions);
        _byModel.AddOrUpdate(modelId, 1, (_, n) => n + 1);
        if (idempotencyKey is null)
        {
            Interlocked.Increment(ref _submissionsWithoutKey);
        }
        else
        {
            _byKey.AddOrUpdate(idempotencyKey, 1, (_, n) => n + 1);
        }

        _byRequest[requestId] = new RequestCounters(modelId, idempotencyKey);
        _atFal.Enter();
    }

    /// <summary>Storage API counters (kept apart from <c>calls</c>, which measure queue-API load).</summary>
    public StorageCounters Storage => _storage;

    public void CountFault(string kind, string route) => _faults.AddOrUpdate($"{route}.{kind}", 1, (_, n) => n + 1);

    public void CountWebhook(string outcome) => _webhooks.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    /// <summary>Counts a request's end (once per request); it no longer counts as at fal.</summary>
    public void CountOutcome(string outcome)
    {
        _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        _atFal.Leave();
    }

    public void Reset()
    {
        _calls.Clear();
        _byModel.Clear();
        _byKey.Clear();
        _faults.Clear();
        _webhooks.Clear();
        _outcomes.Clear();
        _byRequest.Clear();
        _rate.Reset();
        _storage.Reset();
        _atFal.Reset();
        Interlocked.Exchange(ref _submissions, 0);
        Interlocked.Exchange(ref _submissionsWithoutKey, 0);
        _since = time.GetUtcNow();
    }

    public JsonObject Snapshot(bool includeRequests)
    {
        var elapsed = Math.Max((time.GetUtcNow() - _since).TotalSeconds, 0.001);
        var calls = ToJson(_calls);
        var totalCalls = _calls.Values.Sum();
        var json = new JsonObject
        {
            ["since"] = _since.ToString("O"),
            ["elapsed_seconds"] = Math.Round(elapsed, 3),
            ["submissions"] = new JsonObject
            {
                ["total"] = Interlocked.Read(ref _submissions),
                ["without_idempotency_key"] = Interlocked.Read(ref _submissionsWithoutKey),
                ["by_model"] = ToJson(_byModel),
                ["by_idempotency_key"] = ToJson(_byKey),
                ["duplicate_idempotency_keys"] = new JsonArray([.. _byKey.Where(kv => kv.Value > 1).Select(kv => (JsonNode)kv.Key).Order()]),
            },
            ["calls"] = calls,
            ["requests_per_second"] = new JsonObject
            {
                ["average"] = Math.Round(totalCalls / elapsed, 3),
                ["last_10s"] = Math.Round(_rate.PerSecond(10), 3),
                ["peak_1s_last_minute"] = _rate.Peak(),
            },
            ["outcomes"] = ToJson(_outcomes),
            ["at_fal"] = _atFal.ToJson(),
            ["faults"] = ToJson(_faults),
            ["webhooks"] = ToJson(_webhooks),
            ["storage"] = _storage.ToJson(),
        };
        if (includeRequests)
        {
            var byRequest = new JsonObject();
            foreach (var (id, c) in _byRequest.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                byRequest[id] = new JsonObject
                {
                    ["model"] = c.ModelId,
                    ["idempotency_key"] = c.IdempotencyKey,
                    ["submissions"] = 1,
                    ["status"] = c.Status,
                    ["result"] = c.Result,
                    ["cancel"] = c.Cancel,
                    ["webhooks"] = c.Webhooks,
                    ["outcome"] = c.Outcome,
                    ["result_expired_by_fault"] = c.ResultExpiredByFault,
                };
            }

            json["by_request_id"] = byRequest;
        }

        return json;
    }

    private static JsonObject ToJson(ConcurrentDictionary<string, long> d)
    {
        var o = new JsonObject();
        foreach (var (k, v) in d.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            o[k] = v;
        }

        return o;
    }
}
