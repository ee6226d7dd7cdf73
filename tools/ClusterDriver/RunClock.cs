using System.Diagnostics;

namespace ClusterDriver;

/// <summary>Seconds since the run started, and a timeline of what happened when (printed with the ledger).</summary>
public sealed class RunClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly List<string> _timeline = [];
    private readonly Lock _gate = new();

    public TimeSpan Now => _watch.Elapsed;

    public IReadOnlyList<string> Timeline
    {
        get
        {
            lock (_gate)
            {
                return [.. _timeline];
            }
        }
    }

    public void Note(string what)
    {
        var line = $"{Now.TotalSeconds,7:0.0} s  {what}";
        lock (_gate)
        {
            _timeline.Add(line);
        }
        Console.Error.WriteLine("driver: " + line);
    }

    public async Task UntilAsync(TimeSpan at, CancellationToken ct)
    {
        var wait = at - Now;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }
}
