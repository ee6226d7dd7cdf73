using VideoGen.Core.Models;

namespace VideoGen.Core.Providers.Fal;

/// <summary>Contributes <see cref="FalModelCatalog.Models"/> to the model catalog.</summary>
public sealed class FalModelSource : IModelSource
{
    public IEnumerable<ModelInfo> Models => FalModelCatalog.Models;
}
