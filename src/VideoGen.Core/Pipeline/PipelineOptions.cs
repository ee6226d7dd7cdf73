using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Pipeline;

/// <summary>How the pipeline waits on providers and when it gives up. Section <c>VideoGen:Pipeline</c>.</summary>
public sealed class PipelineOptions
{
    public const string Section = "VideoGen:Pipeline";

    /// <summary>First wait between status polls (a signal such as a webhook wakes it earlier). <value>The default value is 1 second.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Ceiling the poll interval backs off to. <value>The default value is 15 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Each poll waits this much longer than the last, up to <see cref="MaxPollInterval"/>. <value>The default value is 1.5.</value></summary>
    [Range(1.0, 10.0)]
    public double PollBackoffFactor { get; set; } = 1.5;

    /// <summary>Random spread applied to each wait (0.2 = ±20 %), so many videos do not poll in lockstep. <value>The default value is 0.2.</value></summary>
    [Range(0.0, 0.9)]
    public double PollJitter { get; set; } = 0.2;

    /// <summary>
    /// How long a video may take at the provider, counted from submission. When exceeded the
    /// request is canceled at the provider and the video fails with "deadline exceeded".
    /// <value>The default value is 1 hour.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a video whose submit answer was lost (<c>submit_unconfirmed</c>) waits, counted from the submit's start,
    /// for a proof that the provider has it (a verified webhook, or the provider's lookup finding the request) before it
    /// is submitted again, once. The default is the time by which fal has certainly called back for a request it
    /// accepted: the pipeline's <see cref="Deadline"/> (1 hour: a request still running then is canceled by us anyway)
    /// plus fal's webhook retries (10 tries over 2 hours). Shorter risks paying twice for a request fal was still working
    /// on; see docs/reliability.md.
    /// <value>The default value is 3 hours.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "7.00:00:00")]
    public TimeSpan SubmitUnconfirmedWindow { get; set; } = TimeSpan.FromHours(3);

    /// <summary>
    /// How often a <c>submit_unconfirmed</c> video is looked at again (its job is released for this long, using no
    /// attempt): each look asks the provider's lookup, where it has one, and checks the window. A webhook re-attaches
    /// it in between; its job then resumes at the next look at the latest.
    /// <value>The default value is 30 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan SubmitUnconfirmedRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait used when a provider says 429 without a Retry-After. <value>The default value is 10 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DefaultRateLimitDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound for provider cancel calls and final saves made after the job's token fired. <value>The default value is 15 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Provider submits in flight at once per process (others wait before submitting). <value>The default value is 32.</value></summary>
    [Range(1, 10_000)]
    public int MaxConcurrentSubmits { get; set; } = 32;

    /// <summary>
    /// Park a video's job in the queue while the video waits at the provider, instead of holding a worker slot for the
    /// whole wait (issue 13). Off only to keep the pre-parking behaviour: a handler polls each waiting video in place.
    /// <value>The default value is true.</value>
    /// </summary>
    public bool ParkWhileWaiting { get; set; } = true;

    /// <summary>
    /// With webhooks on (a public base URL and a provider that sends them), the status check of a parked video is only a
    /// backstop against a lost webhook: this long between checks (100,000 waiting videos make ≈ 330 checks/s).
    /// <value>The default value is 5 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan WebhookBackstopInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Lines of provider logs kept on the Video row. <value>The default value is 20.</value></summary>
    [Range(0, 1000)]
    public int LogsExcerptMaxLines { get; set; } = 20;

    /// <summary>Characters of provider logs kept on the Video row. <value>The default value is 4096.</value></summary>
    [Range(0, 65536)]
    public int LogsExcerptMaxChars { get; set; } = 4096;
}
