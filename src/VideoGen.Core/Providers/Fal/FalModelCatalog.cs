using System.Globalization;
using VideoGen.Core.Models;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// The fal video models we offer, with their input schemas as fal documents them (fal.ai/models/{id}/llms.txt and
/// /api pages) and price estimates. Prices as published by fal, read 2026-11-29; they change, so the Video row stores
/// the estimate made at submit time. Parameter names are fal's own, so the mapper passes them through unchanged.
/// </summary>
public static class FalModelCatalog
{
    public const string KlingTextToVideo = "fal-ai/kling-video/v2.1/standard/text-to-video";
    public const string KlingImageToVideo = "fal-ai/kling-video/v2.1/standard/image-to-video";
    public const string MiniMaxVideo01 = "fal-ai/minimax/video-01";
    public const string MiniMaxVideo01ImageToVideo = "fal-ai/minimax/video-01/image-to-video";
    public const string Veo3 = "fal-ai/veo3";
    public const string LtxVideo = "fal-ai/ltx-video";
    public const string WanTextToVideo = "fal-ai/wan-t2v";
    public const string HunyuanVideo = "fal-ai/hunyuan-video";

    private static readonly string[] KlingAspectRatios = ["16:9", "9:16", "1:1"];
    private static readonly string[] KlingDurations = ["5", "10"];
    private const string KlingNegativeDefault = "blur, distort, and low quality";

    public static IReadOnlyList<ModelInfo> Models { get; } =
    [
        new()
        {
            Id = KlingTextToVideo,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "Kling 2.1 Standard (text to video)",
            Description = "Kling 2.1 standard tier: 5 or 10 s clips from a prompt.",
            AcceptsNegativePrompt = true,
            AcceptsSeed = false,
            MaxPromptLength = 2500,
            Parameters =
            [
                new("duration", ParameterKind.Enum, "5", KlingDurations, Description: "Length in seconds."),
                new("aspect_ratio", ParameterKind.Enum, "16:9", KlingAspectRatios),
                new("cfg_scale", ParameterKind.Number, "0.5", Min: 0, Max: 1, Description: "How closely to follow the prompt."),
            ],
            // fal: $0.28 for 5 s, $0.056 per extra second (published for the 2.1 standard tier).
            EstimateCostUsd = p => KlingCost(p),
        },
        new()
        {
            Id = KlingImageToVideo,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "Kling 2.1 Standard (image to video)",
            Description = "Animates an image; the frame follows the image's aspect ratio.",
            RequiresImage = true,
            AcceptsImage = true,
            AcceptsNegativePrompt = true,
            AcceptsSeed = false,
            MaxPromptLength = 2500,
            Parameters =
            [
                new("duration", ParameterKind.Enum, "5", KlingDurations, Description: "Length in seconds."),
                new("cfg_scale", ParameterKind.Number, "0.5", Min: 0, Max: 1, Description: "How closely to follow the prompt."),
            ],
            EstimateCostUsd = p => KlingCost(p),
        },
        new()
        {
            Id = MiniMaxVideo01,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "MiniMax Hailuo Video-01",
            Description = "About 6 s at 720p from a prompt.",
            AcceptsSeed = false,
            Parameters =
            [
                new("prompt_optimizer", ParameterKind.Boolean, "true", Description: "Let the model rewrite the prompt."),
            ],
            // fal: $0.50 per video.
            EstimateCostUsd = _ => 0.50m,
        },
        new()
        {
            Id = MiniMaxVideo01ImageToVideo,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "MiniMax Hailuo Video-01 (image to video)",
            Description = "Animates an image (used as the first frame).",
            RequiresImage = true,
            AcceptsImage = true,
            AcceptsSeed = false,
            Parameters =
            [
                new("prompt_optimizer", ParameterKind.Boolean, "true", Description: "Let the model rewrite the prompt."),
            ],
            EstimateCostUsd = _ => 0.50m,
        },
        new()
        {
            Id = Veo3,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "Google Veo 3",
            Description = "Up to 8 s, optionally with generated sound.",
            AcceptsNegativePrompt = true,
            Parameters =
            [
                new("duration", ParameterKind.Enum, "8s", ["4s", "6s", "8s"]),
                new("aspect_ratio", ParameterKind.Enum, "16:9", ["16:9", "9:16"]),
                new("resolution", ParameterKind.Enum, "720p", ["720p", "1080p"]),
                new("generate_audio", ParameterKind.Boolean, "true", Description: "Audio doubles the price."),
            ],
            // fal: $0.20 per second without audio, $0.40 with audio.
            EstimateCostUsd = p => Seconds(Get(p, "duration", "8s")) * (Bool(Get(p, "generate_audio", "true")) ? 0.40m : 0.20m),
        },
        new()
        {
            Id = LtxVideo,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "LTX-Video",
            Description = "Fast, inexpensive drafts.",
            AcceptsNegativePrompt = true,
            Parameters =
            [
                new("num_inference_steps", ParameterKind.Integer, "30", Min: 1, Max: 50, Description: "More steps: better, slower."),
                new("guidance_scale", ParameterKind.Number, "3", Min: 1, Max: 10, Description: "How closely to follow the prompt."),
            ],
            // fal: $0.02 per video.
            EstimateCostUsd = _ => 0.02m,
        },
        new()
        {
            Id = WanTextToVideo,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "Wan 2.1 (text to video)",
            Description = "Open model; 480p or 720p.",
            AcceptsNegativePrompt = true,
            Parameters =
            [
                new("resolution", ParameterKind.Enum, "720p", ["480p", "720p"]),
                new("aspect_ratio", ParameterKind.Enum, "16:9", ["16:9", "9:16"]),
                new("num_frames", ParameterKind.Integer, "81", Min: 81, Max: 100, Description: "More than 81 frames costs 1.25x."),
                new("frames_per_second", ParameterKind.Integer, "16", Min: 5, Max: 24),
                new("enable_prompt_expansion", ParameterKind.Boolean, "false"),
            ],
            // fal: $0.20 at 480p, $0.40 at 720p; more than the default 81 frames costs 1.25x.
            EstimateCostUsd = p =>
            {
                var price = Get(p, "resolution", "720p") == "480p" ? 0.20m : 0.40m;
                return Int(Get(p, "num_frames", "81")) > 81 ? price * 1.25m : price;
            },
        },
        new()
        {
            Id = HunyuanVideo,
            Provider = FalVideoProvider.ProviderName,
            DisplayName = "Hunyuan Video",
            Description = "Tencent's open model; 85 or 129 frames.",
            Parameters =
            [
                new("resolution", ParameterKind.Enum, "720p", ["480p", "580p", "720p"]),
                new("aspect_ratio", ParameterKind.Enum, "16:9", ["16:9", "9:16"]),
                new("num_frames", ParameterKind.Enum, "129", ["129", "85"]),
                new("num_inference_steps", ParameterKind.Integer, "30", Min: 2, Max: 30),
                new("pro_mode", ParameterKind.Boolean, "false", Description: "More steps; doubles the price."),
            ],
            // fal: $0.40 per video; pro mode costs 2x.
            EstimateCostUsd = p => Bool(Get(p, "pro_mode", "false")) ? 0.80m : 0.40m,
        },
    ];

    private static readonly Dictionary<string, ModelInfo> ById = Models.ToDictionary(m => m.Id, StringComparer.Ordinal);

    public static ModelInfo? Find(string modelId) => ById.GetValueOrDefault(modelId);

    private static decimal KlingCost(IReadOnlyDictionary<string, string> p) => 0.28m + (Seconds(Get(p, "duration", "5")) - 5) * 0.056m;

    private static string Get(IReadOnlyDictionary<string, string> p, string name, string fallback) =>
        p.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : fallback;

    private static decimal Seconds(string value) =>
        decimal.TryParse(value.TrimEnd('s', 'S'), NumberStyles.Number, CultureInfo.InvariantCulture, out var s) ? s : 0m;

    private static bool Bool(string value) => bool.TryParse(value, out var b) && b;

    private static int Int(string value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;
}
