using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoGen.Client;

/// <summary>An RFC 7807 problem the server answered with: title, detail, and per-field errors for invalid input.</summary>
public sealed record ApiProblem
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }

    /// <summary>For validation problems: the messages per field (e.g. <c>prompt</c>, <c>model</c>).</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; init; }

    /// <summary>Everything the problem says on one line: title — detail — field: message ….</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Title))
        {
            parts.Add(Title);
        }
        if (!string.IsNullOrWhiteSpace(Detail))
        {
            parts.Add(Detail);
        }
        foreach (var (field, messages) in Errors ?? new Dictionary<string, string[]>())
        {
            parts.Add($"{field}: {string.Join(" ", messages)}");
        }
        return parts.Count == 0 ? "no details" : string.Join(" — ", parts);
    }
}
