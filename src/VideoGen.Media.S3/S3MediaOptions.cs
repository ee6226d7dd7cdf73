using System.ComponentModel.DataAnnotations;

namespace VideoGen.Media.S3;

/// <summary>
/// The S3-compatible object store used when <c>VideoGen:Media:Store=s3</c>: <c>VideoGen:Media:S3</c>.
/// Credentials come from the usual AWS sources (<c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>,
/// <c>AWS_PROFILE</c> and the shared credentials file, web identity, container or instance roles);
/// they are never part of this configuration, so never logged with it.
/// </summary>
public sealed class S3MediaOptions
{
    public const string Section = "VideoGen:Media:S3";
    public const string Redirect = "redirect";
    public const string Stream = "stream";

    /// <summary>The bucket holding the media (created beforehand; the service does not create buckets).</summary>
    [Required(ErrorMessage = "VideoGen:Media:S3:Bucket is required when VideoGen:Media:Store is 's3'.")]
    public string Bucket { get; set; } = "";

    /// <summary>
    /// Service URL of a non-AWS store (MinIO, R2, Ceph: <c>http://minio:9000</c>); empty for AWS,
    /// which is then addressed by <see cref="Region"/>.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Region to sign for (and, on AWS, to address). <value>The default value is <c>us-east-1</c>.</value></summary>
    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// Path-style addressing (<c>endpoint/bucket/key</c>) instead of virtual-host style
    /// (<c>bucket.endpoint/key</c>); most self-hosted stores need it. <value>The default value is <c>false</c>.</value>
    /// </summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Prefix of every object key (e.g. <c>videogen/</c>), so one bucket can serve several installations. <value>The default value is empty.</value></summary>
    [RegularExpression("^([A-Za-z0-9._-]+/)*$", ErrorMessage = "VideoGen:Media:S3:Prefix must be empty or segments of [A-Za-z0-9._-] each ending in '/'.")]
    public string Prefix { get; set; } = "";

    /// <summary>
    /// How <c>GET /media/…</c> answers: <c>redirect</c> (302 to a presigned URL valid for
    /// <see cref="UrlLifetime"/>; the browser then reads, and seeks in, the object store directly) or
    /// <c>stream</c> (the API reads the object and answers it itself, with range requests; for stores
    /// the browsers cannot reach). <value>The default value is <c>redirect</c>.</value>
    /// </summary>
    [RegularExpression("^(redirect|stream)$", ErrorMessage = "VideoGen:Media:S3:Serve must be 'redirect' or 'stream'.")]
    public string Serve { get; set; } = Redirect;

    /// <summary>How long a presigned media URL stays valid. <value>The default value is 15 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00", ErrorMessage = "VideoGen:Media:S3:UrlLifetime must be between 10 seconds and 7 days.")]
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Local folder for temporary files (downloads being checked, posters being made). <value>The default value is <c>{DataDir}/tmp/media</c>.</value></summary>
    public string? TempDir { get; set; }
}
