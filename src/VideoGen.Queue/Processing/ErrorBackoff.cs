namespace VideoGen.Queue.Processing;

/// <summary>How long a worker loop waits after a store error before it tries again: doubling from 100 ms up to 5 s.</summary>
internal static class ErrorBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);

    public static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    public static TimeSpan Next(TimeSpan current) => TimeSpan.FromTicks(Math.Min(current.Ticks * 2, Max.Ticks));
}
