namespace VideoGen.Core.Providers.Slots;

/// <summary>
/// How much of a provider account VideoGen may use at once, across every worker on every machine: the provider's
/// concurrency limit (beyond it fal answers 429), optional tighter limits per model, and a submit rate. Null = no limit.
/// </summary>
/// <param name="MaxConcurrent">Videos at the provider at once (submitted and not yet finished there).</param>
/// <param name="MaxSubmitsPerMinute">Submits in any sliding minute.</param>
/// <param name="Models">Per model id: videos of that model at the provider at once.</param>
public sealed record ProviderLimits(int? MaxConcurrent, int? MaxSubmitsPerMinute, IReadOnlyDictionary<string, int> Models)
{
    /// <summary>No limit at all: the provider's own 429s are the only brake.</summary>
    public static ProviderLimits None { get; } = new(null, null, new Dictionary<string, int>());

    /// <summary>True when any limit is set, so submits must take a slot.</summary>
    public bool IsLimited => MaxConcurrent is not null || MaxSubmitsPerMinute is not null || Models.Count > 0;

    /// <summary>The limit of <paramref name="model"/> alone, if one is set.</summary>
    public int? MaxConcurrentOf(string model) => Models.TryGetValue(model, out var max) ? max : null;
}

/// <summary>A provider's limits as its configuration states them at start (an admin may override them at run time).</summary>
/// <param name="Provider">The provider's name (<see cref="IVideoProvider.Name"/>).</param>
/// <param name="Limits">Its limits from configuration.</param>
public sealed record ConfiguredProviderLimits(string Provider, ProviderLimits Limits);
