using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Media;

/// <summary>Where ffmpeg/ffprobe live and how long one run may take. Section <c>VideoGen:Ffmpeg</c>.</summary>
public sealed class FfmpegOptions
{
    public const string Section = "VideoGen:Ffmpeg";

    /// <summary>ffmpeg executable (looked up on PATH when not rooted). <value>The default value is "ffmpeg".</value></summary>
    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>ffprobe executable. <value>The default value is "ffprobe".</value></summary>
    [Required]
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Upper bound for one probe or poster run (renders set their own). <value>The default value is 60 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Most posters made by one ffmpeg run when many videos are ingested at once (starting ffmpeg
    /// costs more than one poster); 1 makes each poster in its own run. <value>The default value is 16.</value>
    /// </summary>
    [Range(1, 64)]
    public int PosterBatchSize { get; set; } = 16;
}
