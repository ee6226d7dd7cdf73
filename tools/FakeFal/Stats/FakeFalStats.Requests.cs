namespace FakeFal.Stats;

/// <summary>How each request ended, for a ledger that matches FakeFal's view against the caller's.</summary>
public sealed partial class FakeFalStats
{
    /// <summary>Records how a request ended (<c>succeeded</c>, <c>failed</c>, <c>canceled</c>).</summary>
    public void RecordRequestOutcome(string requestId, string outcome)
    {
        if (_byRequest.TryGetValue(requestId, out var c))
        {
            c.Outcome = outcome;
        }
    }

    /// <summary>Records that the expired-result fault took this request's result.</summary>
    public void RecordResultExpiredByFault(string requestId)
    {
        if (_byRequest.TryGetValue(requestId, out var c))
        {
            c.ResultExpiredByFault = true;
        }
    }
}
