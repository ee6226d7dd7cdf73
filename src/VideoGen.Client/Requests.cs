namespace VideoGen.Client;

/// <summary>
/// The body of <c>POST /api/videos</c>. Only <see cref="Prompt"/> is required; the server fills in the default model
/// and a seed. <see cref="Parameters"/> are the model's options (see <see cref="Model.Parameters"/>), e.g.
/// <c>["duration"] = 6</c>; values are sent as the JSON of their .NET type.
/// </summary>
public sealed record CreateVideoRequest
{
    public required string Prompt { get; init; }
    public string? Model { get; init; }
    public long? Seed { get; init; }
    public string? NegativePrompt { get; init; }

    /// <summary>An image for image-to-video models: a public URL, or the <see cref="Upload.Url"/> of an upload.</summary>
    public string? ImageUrl { get; init; }

    public IDictionary<string, object?>? Parameters { get; init; }
}

/// <summary>Which videos <see cref="VideoGenClient.ListVideosAsync"/> returns: a page size, the cursor of the previous page, and filters.</summary>
public sealed record VideoListQuery
{
    /// <summary>Page size, 1 to 100 (server default 20).</summary>
    public int? Limit { get; init; }

    public string? Cursor { get; init; }

    /// <summary>Only videos in one of these statuses (<see cref="VideoStatuses"/>).</summary>
    public IReadOnlyList<string>? Statuses { get; init; }

    /// <summary>Only videos whose prompt contains this text (case-insensitive).</summary>
    public string? Search { get; init; }

    internal string ToQueryString()
    {
        var parts = new List<string>();
        if (Limit is { } limit)
        {
            parts.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (!string.IsNullOrEmpty(Cursor))
        {
            parts.Add("cursor=" + Uri.EscapeDataString(Cursor));
        }
        if (Statuses is { Count: > 0 })
        {
            parts.Add("status=" + Uri.EscapeDataString(string.Join(',', Statuses)));
        }
        if (!string.IsNullOrEmpty(Search))
        {
            parts.Add("q=" + Uri.EscapeDataString(Search));
        }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
