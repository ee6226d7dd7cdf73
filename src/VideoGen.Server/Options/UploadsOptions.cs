using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Options;

/// <summary>Settings under <c>VideoGen:Uploads</c>: how much one owner may upload, how fast, and how long an unused upload is kept.</summary>
public sealed class UploadsOptions
{
    public const string Section = "VideoGen:Uploads";

    /// <summary>Bytes of stored uploads one owner may hold (single-user mode: all uploads). <value>The default value is 1 GiB.</value></summary>
    [Range(0L, long.MaxValue, ErrorMessage = "VideoGen:Uploads:MaxBytesPerOwner must be 0 or more.")]
    public long MaxBytesPerOwner { get; set; } = 1L << 30;

    /// <summary>Stored uploads one owner may hold. <value>The default value is 1000.</value></summary>
    [Range(0, int.MaxValue, ErrorMessage = "VideoGen:Uploads:MaxCountPerOwner must be 0 or more.")]
    public int MaxCountPerOwner { get; set; } = 1000;

    /// <summary>Uploads one owner may make per minute; beyond it the answer is 429 with Retry-After. <value>The default value is 30.</value></summary>
    [Range(1, 100_000, ErrorMessage = "VideoGen:Uploads:PerMinute must be from 1 to 100000.")]
    public int PerMinute { get; set; } = 30;

    /// <summary>An upload no video references is deleted once it is older than this. <value>The default value is 1 day.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "VideoGen:Uploads:UnreferencedRetention must be from 00:00:01 to 3650.00:00:00.")]
    public TimeSpan UnreferencedRetention { get; set; } = TimeSpan.FromDays(1);
}
