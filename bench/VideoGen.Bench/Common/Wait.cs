namespace VideoGen.Bench.Common;

/// <summary>Bounded waiting for a condition the benchmark cannot be told about directly.</summary>
public static class Wait
{
    /// <summary>Checks <paramref name="condition"/> every millisecond; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout, TimeProvider time)
    {
        var start = time.GetTimestamp();
        while (!condition())
        {
            if (time.GetElapsedTime(start) > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), time).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Async condition variant.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeProvider time)
    {
        var start = time.GetTimestamp();
        while (!await condition().ConfigureAwait(false))
        {
            if (time.GetElapsedTime(start) > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), time).ConfigureAwait(false);
        }

        return true;
    }
}
