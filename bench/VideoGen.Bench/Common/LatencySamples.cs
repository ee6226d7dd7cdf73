namespace VideoGen.Bench.Common;

/// <summary>Latency samples in milliseconds; percentiles by the nearest-rank method (same as the Node bench).</summary>
public sealed class LatencySamples
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public void Add(TimeSpan latency) => _ms.Add(latency.TotalMilliseconds);

    public double? Percentile(double p)
    {
        if (_ms.Count == 0)
        {
            return null;
        }

        var sorted = _ms.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)], 3);
    }
}
