using System.Text.Json;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Apis;

/// <summary>
/// A video as clients see it. Provider keys and provider URLs never appear; file URLs point at
/// our own <c>/media</c> copy and only once the video succeeded. <see cref="Error"/> and
/// <see cref="ErrorType"/> are the public ones (<see cref="PublicVideoError"/>), never the row's raw reason.
/// </summary>
public sealed record VideoDto(
    string Id,
    string Status,
    string Prompt,
    string Model,
    long? Seed,
    string? NegativePrompt,
    string? ImageUrl,
    JsonElement? Parameters,
    double? Progress,
    int? QueuePosition,
    IReadOnlyList<string> Logs,
    string? Error,
    string? ErrorType,
    string? VideoUrl,
    string? PosterUrl,
    double? DurationSeconds,
    int? Width,
    int? Height,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    decimal? EstimatedCostUsd)
{
    public static VideoDto From(Video v, MediaUrls urls)
    {
        var done = v.Status == VideoStatus.Succeeded;
        // The row's own reason may hold internals (paths, addresses, tool output); clients get the public one.
        var (errorType, error) = PublicVideoError.Describe(v.Status, v.ErrorType, v.Error);
        return new VideoDto(
            v.Id,
            v.Status.ToWire(),
            v.Prompt,
            v.Model,
            v.Seed,
            v.NegativePrompt,
            v.ImageUrl,
            ParseParameters(v.ParametersJson),
            v.Progress,
            v.Status is VideoStatus.InQueue ? v.QueuePosition : null,
            SplitLogs(v.LogsExcerpt),
            error,
            errorType,
            done && v.ResultPath is { } r ? urls.For(r) : null,
            done && v.PosterPath is { } p ? urls.For(p) : null,
            v.DurationSeconds,
            v.Width,
            v.Height,
            v.CreatedAt,
            v.UpdatedAt,
            v.CompletedAt,
            v.EstimatedCostUsd);
    }

    private static JsonElement? ParseParameters(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IReadOnlyList<string> SplitLogs(string? logs) =>
        string.IsNullOrEmpty(logs) ? [] : logs.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>One page of videos, newest first; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page.</summary>
public sealed record VideoPage(IReadOnlyList<VideoDto> Items, string? NextCursor);
