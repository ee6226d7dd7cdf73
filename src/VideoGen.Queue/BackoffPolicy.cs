namespace VideoGen.Queue;

/// <summary>
/// Exponential backoff with jitter for retries: delay = min(Max, Base * 2^(attempt-1)), then
/// spread by ±<see cref="Jitter"/> so that many jobs failing together do not retry together.
/// </summary>
/// <param name="BaseDelay">Delay after the first failed attempt. <value>The default value is 1 second.</value></param>
/// <param name="MaxDelay">Upper bound of any delay. <value>The default value is 5 minutes.</value></param>
/// <param name="Jitter">Fraction (0..1) of the delay randomly added or removed. <value>The default value is 0.2.</value></param>
public sealed record BackoffPolicy(TimeSpan BaseDelay, TimeSpan MaxDelay, double Jitter = 0.2)
{
    public static BackoffPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    /// <summary>The delay before attempt <paramref name="failedAttempt"/> + 1.</summary>
    public TimeSpan DelayAfter(int failedAttempt, Random random)
    {
        var exponent = Math.Clamp(failedAttempt - 1, 0, 30);
        var raw = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var spread = raw * Math.Clamp(Jitter, 0, 1) * ((random.NextDouble() * 2) - 1);
        return TimeSpan.FromMilliseconds(Math.Clamp(raw + spread, 0, MaxDelay.TotalMilliseconds));
    }
}
