namespace VideoGen.Core.Models;

public enum ParameterKind
{
    String,
    Integer,
    Number,
    Boolean,
    /// <summary>One of <see cref="ModelParameter.AllowedValues"/>.</summary>
    Enum,
}

/// <summary>One input a model accepts beyond the prompt (duration, aspect_ratio, resolution, …), named as the provider names it.</summary>
public sealed record ModelParameter(
    string Name,
    ParameterKind Kind,
    string? Default = null,
    IReadOnlyList<string>? AllowedValues = null,
    double? Min = null,
    double? Max = null,
    string? Description = null);

/// <summary>A model users can pick: its provider, its inputs, and how to estimate its price.</summary>
public sealed record ModelInfo
{
    /// <summary>"local/preview", "fal-ai/kling-video/v2.1/standard/text-to-video", …</summary>
    public required string Id { get; init; }

    /// <summary>Name of the <see cref="Providers.IVideoProvider"/> that runs it.</summary>
    public required string Provider { get; init; }

    public required string DisplayName { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Image-to-video models need an image; text-to-video models take none.</summary>
    public bool RequiresImage { get; init; }

    public bool AcceptsImage { get; init; }

    public bool AcceptsNegativePrompt { get; init; }

    /// <summary>Whether a seed is accepted (most models do).</summary>
    public bool AcceptsSeed { get; init; } = true;

    public int MaxPromptLength { get; init; } = 2000;

    public IReadOnlyList<ModelParameter> Parameters { get; init; } = [];

    /// <summary>Estimated price in USD for the given parameters (null = free or unknown).</summary>
    public Func<IReadOnlyDictionary<string, string>, decimal?> EstimateCostUsd { get; init; } = _ => null;
}

/// <summary>Contributes models to the catalog (one per provider).</summary>
public interface IModelSource
{
    IEnumerable<ModelInfo> Models { get; }
}
