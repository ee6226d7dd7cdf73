namespace FakeFal.Options;

/// <summary>
/// How long a completed request stays queryable. fal keeps queue results for 1 hour, and only a
/// few minutes when the output payload is large; afterwards status and response answer 404.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Retention of a completed request.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Retention when the output JSON is at least <see cref="LargeOutputBytes"/>.</summary>
    /// <value>The default value is 6 minutes.</value>
    public TimeSpan LargeOutputWindow { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>Output size (UTF-8 JSON bytes) from which <see cref="LargeOutputWindow"/> applies.</summary>
    /// <value>The default value is 10240.</value>
    public int LargeOutputBytes { get; set; } = 10 * 1024;
}
