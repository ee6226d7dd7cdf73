using System.Globalization;

namespace VideoGen.Core.Models;

/// <summary>The local preview renderer's one model: an ffmpeg scene derived from prompt and seed, free, no key needed.</summary>
public sealed class LocalModelSource : IModelSource
{
    public const string PreviewModelId = "local/preview";

    public static ModelInfo Preview { get; } = new()
    {
        Id = PreviewModelId,
        Provider = "local",
        DisplayName = "Local preview (not AI)",
        Description = "A deterministic ffmpeg-rendered preview clip with the prompt drawn on it. Not an AI model; useful to try the app without a provider key.",
        AcceptsImage = false,
        AcceptsNegativePrompt = false,
        AcceptsSeed = true,
        MaxPromptLength = 2000,
        Parameters =
        [
            new ModelParameter("duration", ParameterKind.Integer, Default: "4", Min: 2, Max: 10, Description: "Length in seconds."),
            new ModelParameter("aspect_ratio", ParameterKind.Enum, Default: "16:9", AllowedValues: ["16:9", "9:16", "1:1"], Description: "Frame shape."),
        ],
        EstimateCostUsd = _ => 0m,
    };

    public IEnumerable<ModelInfo> Models => [Preview];

    /// <summary>Frame size for an aspect ratio (even numbers, as yuv420p needs).</summary>
    public static (int Width, int Height) FrameSize(string? aspectRatio) => aspectRatio switch
    {
        "9:16" => (360, 640),
        "1:1" => (480, 480),
        _ => (640, 360),
    };

    internal static int Duration(IReadOnlyDictionary<string, string> p) =>
        p.TryGetValue("duration", out var d) && int.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 2, 10) : 4;
}
