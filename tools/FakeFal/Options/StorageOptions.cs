using System.ComponentModel.DataAnnotations;

namespace FakeFal.Options;

/// <summary>fal's storage upload (<c>/storage/upload/*</c>); files are kept in memory until reset or restart.</summary>
public sealed class StorageOptions
{
    /// <summary>Largest body of one PUT (a whole file, or one part of a multipart upload) and of an assembled file; larger → 413.</summary>
    /// <value>The default value is 100 MiB.</value>
    [Range(1, 1L << 31)]
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;
}
