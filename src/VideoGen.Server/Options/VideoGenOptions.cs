using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Options;

/// <summary>
/// Top-level settings under <c>VideoGen</c>. <c>VideoGen:PublicBaseUrl</c> is not here: it is VideoGen.Core's
/// <see cref="VideoGen.Core.Models.PublicUrlOptions"/>, the one definition the server and the pipeline share.
/// </summary>
public sealed class VideoGenOptions
{
    public const string Section = "VideoGen";

    /// <summary>
    /// Folder holding the SQLite files (app database, queue) and the media (videos, posters).
    /// Relative paths are resolved against the current directory. <value>The default value is <c>./data</c>.</value>
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "VideoGen:DataDir must not be empty; set it to a writable folder (default ./data).")]
    public string DataDir { get; set; } = "./data";

    /// <summary>Largest JSON body accepted by the API, in bytes. <value>The default value is 65,536 (64 KB).</value></summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "VideoGen:MaxJsonBodyBytes must be from 1024 to 16777216.")]
    public int MaxJsonBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The full path of <see cref="DataDir"/> (the default when empty; validation reports an empty value).</summary>
    public string DataDirFullPath => Path.GetFullPath(string.IsNullOrWhiteSpace(DataDir) ? "./data" : DataDir);
}
