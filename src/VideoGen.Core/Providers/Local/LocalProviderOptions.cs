using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Providers.Local;

/// <summary>
/// The local preview renderer's simulated latency and limits. Section <c>VideoGen:Providers:Local</c>.
/// </summary>
public sealed class LocalProviderOptions
{
    public const string Section = "VideoGen:Providers:Local";

    /// <summary>Where requests live ({WorkDir}/{requestId}/request.json, output.mp4, done). <value>The default value is {DataDir}/local-provider.</value></summary>
    public string WorkDir { get; set; } = "";

    /// <summary>How long a request waits "in queue" before rendering starts, like a remote provider's queue. <value>The default value is 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan QueueDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rendering is paced so it takes at least this long (progress then advances smoothly). <value>The default value is 3 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinRenderTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Renders running at once; more requests wait in the simulated queue. <value>The default value is 1.</value></summary>
    [Range(1, 64)]
    public int MaxConcurrentRenders { get; set; } = 1;

    /// <summary>Upper bound for one ffmpeg render. <value>The default value is 5 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Finished requests older than this are deleted from the work dir (like a remote provider's
    /// result retention); their status then reads NotFound. Ingest keeps our own copy long before.
    /// <value>The default value is 24 hours.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Font for the prompt text; when the file is missing the clip is rendered without text. <value>The default value is DejaVu Sans from fonts-dejavu-core.</value></summary>
    public string FontPath { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
}
