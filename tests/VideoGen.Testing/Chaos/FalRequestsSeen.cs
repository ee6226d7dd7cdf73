using System.Text.Json;

namespace VideoGen.Testing.Chaos;

/// <summary>One fal request as FakeFal counted it (<c>by_request_id</c> in <c>GET /_fake/stats</c>).</summary>
public sealed record FalRequestSeen(string RequestId, string? Outcome, bool ResultExpiredByFault, long Webhooks);

/// <summary>FakeFal's view per video: every request submitted under the video's id (its idempotency key).</summary>
public static class FalRequestsSeen
{
    public static Dictionary<string, List<FalRequestSeen>> ByVideo(JsonElement stats)
    {
        var byVideo = new Dictionary<string, List<FalRequestSeen>>(StringComparer.Ordinal);
        foreach (var r in stats.GetProperty("by_request_id").EnumerateObject())
        {
            if (!r.Value.TryGetProperty("idempotency_key", out var key) || key.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var seen = new FalRequestSeen(
                r.Name,
                r.Value.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null,
                r.Value.TryGetProperty("result_expired_by_fault", out var x) && x.ValueKind == JsonValueKind.True,
                r.Value.TryGetProperty("webhooks", out var w) ? w.GetInt64() : 0);
            var id = key.GetString()!;
            if (!byVideo.TryGetValue(id, out var list))
            {
                byVideo[id] = list = [];
            }

            list.Add(seen);
        }

        return byVideo;
    }
}
