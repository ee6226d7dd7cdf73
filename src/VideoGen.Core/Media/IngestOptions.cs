using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Media;

/// <summary>Limits for fetching provider results into our storage. Section <c>VideoGen:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "VideoGen:Ingest";

    /// <summary>Largest result accepted; bigger downloads are cut off and refused. <value>The default value is 512 MiB.</value></summary>
    [Range(1024L, 64L * 1024 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Upper bound for one whole download (headers and body). <value>The default value is 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Also allow plain http to loopback hosts and loopback addresses (tests, a FakeFal on 127.0.0.1).
    /// Private and link-local addresses stay refused. <value>The default value is false.</value>
    /// </summary>
    public bool AllowLoopbackHttp { get; set; }

    /// <summary>Redirects followed (each one re-checked). <value>The default value is 3.</value></summary>
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 3;

    /// <summary>
    /// Downloaded results checked (ffprobe, poster) at once; the rest wait their turn in arrival
    /// order. When a thousand results land together, this keeps them finishing one after another
    /// from the start instead of all probes first and every poster last, and bounds the number of
    /// half-checked files. Large enough that posters still share ffmpeg runs
    /// (<see cref="FfmpegOptions.PosterBatchSize"/>). <value>The default value is 32.</value>
    /// </summary>
    [Range(1, 4096)]
    public int MaxConcurrentChecks { get; set; } = 32;
}
