using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoGen.Client;

/// <summary>
/// A video as the server describes it (<c>GET /api/videos/{id}</c>). File URLs are relative to the server and set only
/// once the video succeeded; <see cref="Error"/> is the public reason of a failure. Fields a newer server adds are kept
/// in <see cref="Extra"/>.
/// </summary>
public sealed record Video
{
    public required string Id { get; init; }
    public required string Status { get; init; }
    public required string Prompt { get; init; }
    public required string Model { get; init; }
    public long? Seed { get; init; }
    public string? NegativePrompt { get; init; }
    public string? ImageUrl { get; init; }
    public JsonElement? Parameters { get; init; }

    /// <summary>0 to 1 while generating, when the provider says.</summary>
    public double? Progress { get; init; }

    /// <summary>The position in the provider's queue, while <see cref="VideoStatuses.InQueue"/>.</summary>
    public int? QueuePosition { get; init; }

    public IReadOnlyList<string> Logs { get; init; } = [];
    public string? Error { get; init; }
    public string? ErrorType { get; init; }
    public string? VideoUrl { get; init; }
    public string? PosterUrl { get; init; }
    public double? DurationSeconds { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public decimal? EstimatedCostUsd { get; init; }

    /// <summary>What the video cost at the provider, once submitted (servers that record spend).</summary>
    public decimal? SpentCostUsd { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    [JsonIgnore]
    public bool IsTerminal => VideoStatuses.IsTerminal(Status);
}

/// <summary>One page of videos, newest first; pass <see cref="NextCursor"/> as <see cref="VideoListQuery.Cursor"/> for the next.</summary>
public sealed record VideoPage(IReadOnlyList<Video> Items, string? NextCursor);
