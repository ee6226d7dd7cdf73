namespace VideoGen.Bench.Hangfire;

/// <summary>
/// The job Hangfire runs: does nothing but count itself and tell the pickup probe when it started.
/// Hangfire needs a public static method it can find by name.
/// </summary>
public static class NoopJob
{
    private static long _runs;
    private static Action? _onStart;

    public static long Runs => Interlocked.Read(ref _runs);

    public static void ResetRuns() => Interlocked.Exchange(ref _runs, 0);

    /// <summary>Called (on the worker thread) at the start of every run; null = nobody listens.</summary>
    public static void OnStart(Action? callback) => Volatile.Write(ref _onStart, callback);

    public static void Run(int i)
    {
        _ = i;
        Volatile.Read(ref _onStart)?.Invoke();
        Interlocked.Increment(ref _runs);
    }
}
