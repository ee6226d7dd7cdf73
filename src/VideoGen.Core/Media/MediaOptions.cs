using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Media;

/// <summary>
/// Settings under <c>VideoGen:Media</c>: where media (results, posters, uploads) is kept, how long it
/// is kept and how often it is swept. The S3 store's own settings are <c>VideoGen:Media:S3</c>.
/// </summary>
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

    /// <summary>Folder of the local media store (videos, posters, uploads). <value>The default value is null ({DataDir}/media).</value></summary>
    public string? Root { get; set; }

    /// <summary>
    /// Finished videos (succeeded, failed, canceled) are deleted, files and row, this long after they
    /// finished. <value>The default value is null (kept until deleted with <c>DELETE /api/videos/{id}</c>).</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "36500.00:00:00", ErrorMessage = "VideoGen:Media:VideoRetention must be from 00:00:01 to 36500.00:00:00 (or unset to keep videos forever).")]
    public TimeSpan? VideoRetention { get; set; }

    /// <summary>Temp files (partial downloads, uploads) untouched this long are a crash's leftovers and are deleted. <value>The default value is 1 hour.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "VideoGen:Media:TempFileMaxAge must be from 00:01:00 to 7.00:00:00.")]
    public TimeSpan TempFileMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often unreferenced uploads, expired videos and leftover temp files are swept (also once at start). <value>The default value is 10 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "VideoGen:Media:SweepInterval must be from 00:00:01 to 1.00:00:00.")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);
}
