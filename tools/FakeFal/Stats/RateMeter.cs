namespace FakeFal.Stats;

/// <summary>Counts events in one-second buckets over the last minute, for requests-per-second figures.</summary>
public sealed class RateMeter(TimeProvider time)
{
    private const int Buckets = 60;
    private readonly long[] _counts = new long[Buckets];
    private readonly long[] _seconds = new long[Buckets];
    private readonly Lock _gate = new();

    public void Mark()
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        var i = (int)(second % Buckets);
        lock (_gate)
        {
            if (_seconds[i] != second)
            {
                _seconds[i] = second;
                _counts[i] = 0;
            }

            _counts[i]++;
        }
    }

    /// <summary>Average per second over the last <paramref name="window"/> whole seconds (excluding the current one).</summary>
    public double PerSecond(int window)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long sum = 0;
        lock (_gate)
        {
            for (var s = now - window; s < now; s++)
            {
                var i = (int)(s % Buckets);
                if (_seconds[i] == s)
                {
                    sum += _counts[i];
                }
            }
        }

        return (double)sum / window;
    }

    /// <summary>Highest one-second count in the last minute (excluding the current second).</summary>
    public long Peak()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        long peak = 0;
        lock (_gate)
        {
            for (var i = 0; i < Buckets; i++)
            {
                if (_seconds[i] < now && _seconds[i] >= now - Buckets)
                {
                    peak = Math.Max(peak, _counts[i]);
                }
            }
        }

        return peak;
    }

    public void Reset()
    {
        lock (_gate)
        {
            Array.Clear(_counts);
            Array.Clear(_seconds);
        }
    }
}
