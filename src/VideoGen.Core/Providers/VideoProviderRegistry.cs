namespace VideoGen.Core.Providers;

/// <summary>All registered providers by <see cref="IVideoProvider.Name"/>; the pipeline picks one per video.</summary>
public sealed class VideoProviderRegistry
{
    private readonly Dictionary<string, IVideoProvider> _byName = new(StringComparer.Ordinal);

    public VideoProviderRegistry(IEnumerable<IVideoProvider> providers)
    {
        foreach (var p in providers)
        {
            if (!_byName.TryAdd(p.Name, p))
            {
                throw new InvalidOperationException($"Two video providers are named '{p.Name}'.");
            }
        }
    }

    public IReadOnlyCollection<IVideoProvider> All => _byName.Values;

    public IVideoProvider? Find(string? name) => name is not null && _byName.TryGetValue(name, out var p) ? p : null;

    /// <summary>The provider that serves <paramref name="modelId"/> when the catalog does not know it (models removed since).</summary>
    public IVideoProvider? FindServing(string modelId) => _byName.Values.FirstOrDefault(p => p.Serves(modelId));
}
