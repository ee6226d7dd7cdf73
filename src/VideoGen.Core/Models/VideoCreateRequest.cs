using System.Text.Json;

namespace VideoGen.Core.Models;

/// <summary>
/// What a client asks for, as received (nothing trusted yet). <see cref="Parameters"/> holds the
/// model-specific inputs as JSON values (numbers or strings both accepted where a number is meant).
/// </summary>
public sealed record VideoCreateRequest
{
    public string? Prompt { get; init; }

    /// <summary>Model id; null means <see cref="ModelCatalog.DefaultModelId"/>.</summary>
    public string? Model { get; init; }

    public long? Seed { get; init; }

    public string? NegativePrompt { get; init; }

    public string? ImageUrl { get; init; }

    public IReadOnlyDictionary<string, JsonElement>? Parameters { get; init; }

    /// <summary>Convenience for callers that hold parameters as text (CLI, query strings).</summary>
    public static IReadOnlyDictionary<string, JsonElement> ParametersFromStrings(IEnumerable<KeyValuePair<string, string>> values) =>
        values.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value), StringComparer.Ordinal);
}

/// <summary>A request that passed validation: trimmed prompt, resolved model, parameters with defaults applied.</summary>
/// <param name="Prompt">Trimmed, non-empty, within the model's limit.</param>
/// <param name="Model">The resolved catalog entry (the default model when the request named none).</param>
/// <param name="Seed">0..2^32-1 when given.</param>
/// <param name="NegativePrompt">Trimmed; null when empty.</param>
/// <param name="ImageUrl">Absolute http(s) URL, or our own relative upload URL (<see cref="UploadedImageUrl"/>); null when the model takes none.</param>
/// <param name="Parameters">Every declared parameter with its value as text (defaults filled in).</param>
/// <param name="ParametersJson">The same as a typed JSON object, ready for <c>Video.ParametersJson</c> and the provider.</param>
/// <param name="EstimatedCostUsd">From the model's price table; null when unknown.</param>
public sealed record ValidatedVideoRequest(
    string Prompt,
    ModelInfo Model,
    long? Seed,
    string? NegativePrompt,
    string? ImageUrl,
    IReadOnlyDictionary<string, string> Parameters,
    string ParametersJson,
    decimal? EstimatedCostUsd);

/// <summary>Either a <see cref="ValidatedVideoRequest"/> or errors keyed by field name (the shape of ASP.NET's ValidationProblem).</summary>
public sealed class VideoRequestValidation
{
    internal VideoRequestValidation(ValidatedVideoRequest? request, Dictionary<string, string[]> errors)
    {
        Request = request;
        Errors = errors;
    }

    public bool IsValid => Request is not null;

    public ValidatedVideoRequest? Request { get; }

    /// <summary>Field name ("prompt", "model", "seed", "negativePrompt", "imageUrl", "parameters.duration", …) → messages.</summary>
    public Dictionary<string, string[]> Errors { get; }
}

/// <summary>What <see cref="VideoRequestValidator.Estimate"/> found: the model and its price, or errors keyed by field.</summary>
/// <param name="Model">The resolved model; null when the id is unknown.</param>
/// <param name="CostUsd">The estimate; null when the parameters are invalid or the model's price is unknown.</param>
/// <param name="Errors">Field name → messages; empty when the parameters are valid.</param>
public sealed record CostEstimate(ModelInfo? Model, decimal? CostUsd, Dictionary<string, string[]> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
