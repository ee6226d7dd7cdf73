using System.Diagnostics;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Decides how many jobs a worker may lease beyond its free handler slots. With short handlers the
/// worker is bound by one store round trip per batch; a few already-leased jobs let a finished slot
/// start the next job at once. With long handlers (video jobs run minutes) a leased job waiting here
/// would sit while other workers idle, so the worker claims ahead only while the recent handler
/// duration (an exponentially weighted moving average) is short: under both
/// <see cref="ShortHandlerCeiling"/> and the recent store round trip (at least <see cref="RoundTripFloor"/>).
/// </summary>
/// <remarks>
/// Durations are real elapsed time (<see cref="Stopwatch"/>), not the queue's injected clock: they
/// measure this machine's speed, and a fake clock would make every handler look instant. Updates race
/// benignly (a lost sample only delays the average).
/// </remarks>
internal sealed class ClaimAheadPolicy(int concurrency, bool enabled)
{
    /// <summary>Handlers slower than this on average never get jobs claimed ahead for them.</summary>
    public static readonly TimeSpan ShortHandlerCeiling = TimeSpan.FromMilliseconds(5);

    /// <summary>A round trip counted as at least this long, so a very fast store still leaves room for sub-millisecond handlers.</summary>
    public static readonly TimeSpan RoundTripFloor = TimeSpan.FromMilliseconds(1);

    private const int Unknown = -1;

    // Stopwatch ticks; Unknown until the first sample, which counts as "not short".
    private long _handlerTicks = Unknown;
    private long _roundTripTicks = Unknown;

    /// <summary>How many jobs to lease beyond the free slots right now: 0, or <c>concurrency</c> while handlers are short.</summary>
    public int Ahead
    {
        get
        {
            if (!enabled)
            {
                return 0;
            }

            var handler = Volatile.Read(ref _handlerTicks);
            if (handler == Unknown)
            {
                return 0;
            }

            var rtt = Math.Max(Volatile.Read(ref _roundTripTicks), Ticks(RoundTripFloor));
            var bound = Math.Min(rtt, Ticks(ShortHandlerCeiling));
            return handler < bound ? concurrency : 0;
        }
    }

    /// <summary>Records how long one handler ran.</summary>
    public void HandlerRan(long startTimestamp) => Add(ref _handlerTicks, Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>Records how long one store call took.</summary>
    public void RoundTrip(long startTimestamp) => Add(ref _roundTripTicks, Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>
    /// A claimed-ahead job waited <paramref name="waitedTicks"/> for a slot: handlers are not short any
    /// more. The average jumps to at least that wait, so it takes a run of short handlers (about 30 for a
    /// 50 ms wait) before the worker claims ahead again.
    /// </summary>
    public void HandlersTooSlow(long waitedTicks)
    {
        var current = Volatile.Read(ref _handlerTicks);
        Volatile.Write(ref _handlerTicks, Math.Max(current, waitedTicks));
    }

    private static void Add(ref long average, long sample)
    {
        var current = Volatile.Read(ref average);
        // Weight 1/8: a few slow handlers turn claiming ahead off quickly.
        Volatile.Write(ref average, current == Unknown ? sample : current + ((sample - current) / 8));
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
