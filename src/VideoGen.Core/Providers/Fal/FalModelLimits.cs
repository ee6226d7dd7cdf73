using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Providers.Fal;

/// <summary>Limits of one fal model (<c>VideoGen:Providers:Fal:Models:&lt;model&gt;</c>).</summary>
public sealed class FalModelLimits
{
    /// <summary>Videos of this model at fal at once, across every machine. <value>The default value is null (no limit).</value></summary>
    [Range(1, 1_000_000)]
    public int? MaxConcurrent { get; set; }
}
