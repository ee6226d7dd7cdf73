using System.Text.Json;

namespace VideoGen.Server.Apis;

/// <summary>The JSON body of <c>POST /api/videos</c>. Only these fields are accepted.</summary>
public sealed record CreateVideoBody(
    string? Prompt,
    string? Model,
    long? Seed,
    string? NegativePrompt,
    string? ImageUrl,
    Dictionary<string, JsonElement>? Parameters)
{
    public static IReadOnlySet<string> Fields { get; } =
        new HashSet<string>(["prompt", "model", "seed", "negativePrompt", "imageUrl", "parameters"], StringComparer.OrdinalIgnoreCase);
}
