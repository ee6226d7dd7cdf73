using System.Text.Json.Nodes;
using FakeFal.Queue;

namespace FakeFal.Webhooks;

/// <summary>The JSON fal POSTs to <c>fal_webhook</c> when a request ends.</summary>
public static class WebhookBody
{
    public static JsonObject For(FalRequest request)
    {
        var body = new JsonObject
        {
            ["request_id"] = request.Id,
            ["gateway_request_id"] = request.Id,
        };
        if (request.Error is { } error)
        {
            body["status"] = "ERROR";
            body["error"] = $"Invalid status code: {error.StatusCode}";
            body["payload"] = error.Body.DeepClone();
        }
        else
        {
            body["status"] = "OK";
            body["payload"] = request.Output?.DeepClone();
        }

        return body;
    }
}
