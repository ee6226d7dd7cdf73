namespace FakeFal.Options;

/// <summary>The MP4 files FakeFal renders with ffmpeg and serves under <c>/files/</c>.</summary>
public sealed class MediaOptions
{
    /// <summary>Cache folder for rendered clips (one per resolution, shared between runs).</summary>
    /// <value>The default value is <c>{temp}/fakefal-media</c>.</value>
    public string? Directory { get; set; }

    /// <summary>ffmpeg executable.</summary>
    /// <value>The default value is <c>ffmpeg</c> (from PATH).</value>
    public string Ffmpeg { get; set; } = "ffmpeg";

    /// <summary>Clip length in seconds.</summary>
    /// <value>The default value is 2.</value>
    public int DurationSeconds { get; set; } = 2;

    /// <summary>Size used when the input names no <c>resolution</c>.</summary>
    /// <value>The default value is 640.</value>
    public int DefaultWidth { get; set; } = 640;

    /// <value>The default value is 360.</value>
    public int DefaultHeight { get; set; } = 360;
}
