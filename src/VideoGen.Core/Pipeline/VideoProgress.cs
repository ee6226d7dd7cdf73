using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// The live-update payload the pipeline reports on the queue job whenever the row's status,
/// progress or queue position changes: <c>{"status":"generating","progress":0.42,"queuePosition":null}</c>.
/// </summary>
public sealed record VideoProgress(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] double? Progress,
    [property: JsonPropertyName("queuePosition")] int? QueuePosition)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static VideoProgress? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<VideoProgress>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
