namespace VideoGen.Core.Models;

/// <summary>
/// Every model users can pick, gathered from all registered <see cref="IModelSource"/>s.
/// Ids are unique across sources (a duplicate is a configuration error, found at start).
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>The model used when a request names none.</summary>
    public const string DefaultModelId = LocalModelSource.PreviewModelId;

    private readonly Dictionary<string, ModelInfo> _byId = new(StringComparer.Ordinal);
    private readonly List<ModelInfo> _all = [];

    public ModelCatalog(IEnumerable<IModelSource> sources)
    {
        foreach (var model in sources.SelectMany(s => s.Models))
        {
            if (!_byId.TryAdd(model.Id, model))
            {
                throw new InvalidOperationException($"Model id '{model.Id}' is registered twice.");
            }
            _all.Add(model);
        }
    }

    public IReadOnlyList<ModelInfo> All => _all;

    public ModelInfo? Find(string? id) => id is not null && _byId.TryGetValue(id, out var m) ? m : null;
}
