using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Options;

/// <summary>Settings under <c>VideoGen:Workers</c>: the in-process workers of <c>serve</c> and <c>worker</c>.</summary>
public sealed class WorkersOptions
{
    public const string Section = "VideoGen:Workers";

    /// <summary>
    /// Whether <c>videogen serve</c> runs workers in-process (turn off to scale API and workers
    /// separately; <c>videogen worker</c> always runs them). <value>The default value is true.</value>
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Video jobs one process runs at once. <value>The default value is 4.</value></summary>
    [Range(1, 10_000, ErrorMessage = "VideoGen:Workers:Concurrency must be from 1 to 10000.")]
    public int Concurrency { get; set; } = 4;
}
