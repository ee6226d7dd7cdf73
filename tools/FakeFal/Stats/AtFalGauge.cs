using System.Text.Json.Nodes;

namespace FakeFal.Stats;

/// <summary>
/// Requests at fal at once (accepted and not yet finished: succeeded, failed or canceled), now and at the peak since the
/// last reset: what a fal account's concurrency limit counts, so a test can prove a client never exceeded it.
/// </summary>
public sealed class AtFalGauge
{
    private readonly Lock _gate = new();
    private long _current;
    private long _peak;

    public void Enter()
    {
        lock (_gate)
        {
            _current++;
            _peak = Math.Max(_peak, _current);
        }
    }

    public void Leave()
    {
        lock (_gate)
        {
            _current = Math.Max(0, _current - 1);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _current = 0;
            _peak = 0;
        }
    }

    public JsonObject ToJson()
    {
        lock (_gate)
        {
            return new JsonObject { ["current"] = _current, ["peak"] = _peak };
        }
    }
}
