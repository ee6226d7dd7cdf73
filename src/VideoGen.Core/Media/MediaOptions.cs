using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Media;

/// <summary>Where media (results, posters, uploads) are kept: <c>VideoGen:Media</c>.</summary>
public sealed class MediaOptions
{
    public const string Section = "VideoGen:Media";
    public const string Local = "local";
    public const string S3 = "s3";

    /// <summary>
    /// <c>local</c>: a folder (<see cref="Root"/>), for one machine or a shared volume. <c>s3</c>: an
    /// S3-compatible object store shared by every host (<c>VideoGen:Media:S3:*</c>).
    /// <value>The default value is <c>local</c>.</value>
    /// </summary>
    [RegularExpression("^(local|s3)$", ErrorMessage = "VideoGen:Media:Store must be 'local' or 's3'.")]
    public string Store { get; set; } = Local;

    /// <summary>The media folder of the local store. <value>The default value is <c>{DataDir}/media</c>.</value></summary>
    public string? Root { get; set; }
}
