namespace FakeFal.Stats;

/// <summary>Calls made about one request id (how hard a client polled it).</summary>
public sealed class RequestCounters(string modelId, string? idempotencyKey)
{
    private long _status;
    private long _result;
    private long _cancel;
    private long _webhooks;

    public string ModelId { get; } = modelId;

    public string? IdempotencyKey { get; } = idempotencyKey;

    public long Status => Interlocked.Read(ref _status);

    public long Result => Interlocked.Read(ref _result);

    public long Cancel => Interlocked.Read(ref _cancel);

    public long Webhooks => Interlocked.Read(ref _webhooks);

    /// <summary>How the request ended at FakeFal (<c>succeeded</c>, <c>failed</c>, <c>canceled</c>); null while it runs.</summary>
    public string? Outcome { get; set; }

    /// <summary>The expired-result fault made its result vanish at completion (the caller cannot fetch it).</summary>
    public bool ResultExpiredByFault { get; set; }

    public void Count(string route)
    {
        switch (route)
        {
            case "status" or "stream": Interlocked.Increment(ref _status); break;
            case "result": Interlocked.Increment(ref _result); break;
            case "cancel": Interlocked.Increment(ref _cancel); break;
            case "webhook": Interlocked.Increment(ref _webhooks); break;
            default: break;
        }
    }
}
