using System.Text.Json.Nodes;
using FakeFal.Media;

namespace FakeFal.Queue;

/// <summary>The bodies a finished request carries, shaped like fal's.</summary>
public static class Outcomes
{
    public static JsonObject VideoOutput(FalRequest request, ClipSize size, FileInfo file)
    {
        var seed = request.Input["seed"] is JsonValue v && v.TryGetValue<long>(out var s) ? s : Random.Shared.NextInt64(1, int.MaxValue);
        return new JsonObject
        {
            ["video"] = new JsonObject
            {
                ["url"] = $"{request.BaseUrl}/files/{size.Name}/{request.Id}.mp4",
                ["content_type"] = "video/mp4",
                ["file_name"] = "output.mp4",
                ["file_size"] = file.Length,
                ["width"] = size.Width,
                ["height"] = size.Height,
                ["duration"] = size.Seconds,
            },
            ["seed"] = seed,
        };
    }

    /// <summary>A model error in fal's structured form (<c>detail</c> list of typed errors).</summary>
    public static RequestError ModelError(FalRequest request, string type, int statusCode)
    {
        var message = type == "content_policy_violation"
            ? "The content could not be processed because it contained material flagged by a content checker."
            : $"The model failed to process the request ({type}).";
        var detail = new JsonObject
        {
            ["loc"] = new JsonArray("body", "prompt"),
            ["msg"] = message,
            ["type"] = type,
            ["url"] = $"https://docs.fal.ai/errors#{type}",
            ["input"] = request.Input["prompt"]?.DeepClone(),
        };
        return new RequestError(message, type, statusCode, new JsonObject { ["detail"] = new JsonArray(detail) });
    }

    public static RequestError Canceled() => new(
        "Request was cancelled by the user.",
        "request_cancelled",
        400,
        new JsonObject { ["detail"] = "Request was cancelled by the user." });

    public static RequestError Internal(string reason) => new(
        $"Internal error: {reason}",
        "internal_server_error",
        500,
        new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["loc"] = new JsonArray(), ["msg"] = reason, ["type"] = "internal_server_error" }) });
}
