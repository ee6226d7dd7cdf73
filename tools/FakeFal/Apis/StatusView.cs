using System.Text.Json.Nodes;
using FakeFal.Queue;

namespace FakeFal.Apis;

/// <summary>fal's status document for a request (the same shape for polling and the SSE stream).</summary>
public static class StatusView
{
    public static JsonObject Urls(FalRequest request, string baseUrl)
    {
        var root = $"{baseUrl}/{request.AppId}/requests/{request.Id}";
        return new JsonObject
        {
            ["request_id"] = request.Id,
            ["response_url"] = root,
            ["status_url"] = $"{root}/status",
            ["cancel_url"] = $"{root}/cancel",
        };
    }

    public static JsonObject For(FalRequest request, string baseUrl, bool withLogs, int queuePosition)
    {
        lock (request.Gate)
        {
            var json = new JsonObject
            {
                ["status"] = request.State switch
                {
                    RequestState.InQueue => "IN_QUEUE",
                    RequestState.InProgress => "IN_PROGRESS",
                    _ => "COMPLETED",
                },
            };
            foreach (var (k, v) in Urls(request, baseUrl))
            {
                json[k] = v?.DeepClone();
            }

            if (request.State == RequestState.InQueue)
            {
                json["queue_position"] = queuePosition;
            }

            json["logs"] = withLogs && request.State != RequestState.InQueue
                ? new JsonArray([.. request.Logs.Select(l => (JsonNode)new JsonObject
                {
                    ["message"] = l.Message,
                    ["timestamp"] = l.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture),
                    ["level"] = l.Level,
                    ["source"] = l.Source,
                })])
                : null;
            json["metrics"] = request is { State: RequestState.Completed, StartedAt: { } s, CompletedAt: { } c }
                ? new JsonObject { ["inference_time"] = Math.Round((c - s).TotalSeconds, 3) }
                : new JsonObject();
            if (request is { State: RequestState.Completed, Error: { } e })
            {
                json["error"] = e.Message;
                json["error_type"] = e.Type;
            }

            return json;
        }
    }
}
