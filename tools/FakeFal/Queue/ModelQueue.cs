namespace FakeFal.Queue;

/// <summary>
/// The FIFO of one model id and its busy slots. Position 0 is the next request to start.
/// Positions are answered in O(1): each waiting request keeps an absolute index, and taking the
/// head only advances a shift; a removal from the middle (cancel) re-indexes once, lazily — so
/// thousands of waiting requests polled at once stay cheap.
/// </summary>
public sealed class ModelQueue(string modelId)
{
    private readonly LinkedList<FalRequest> _waiting = new();
    private readonly Dictionary<FalRequest, long> _index = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _gate = new();
    private long _shift;
    private bool _stale;

    public string ModelId { get; } = modelId;

    public int Running { get; private set; }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    public void Enqueue(FalRequest request)
    {
        lock (_gate)
        {
            _waiting.AddLast(request);
            _index[request] = _shift + _waiting.Count - 1;
        }
    }

    public int PositionOf(FalRequest request)
    {
        lock (_gate)
        {
            if (_stale)
            {
                Reindex();
            }

            return _index.TryGetValue(request, out var i) ? (int)(i - _shift) : 0;
        }
    }

    public bool Remove(FalRequest request)
    {
        lock (_gate)
        {
            if (!_waiting.Remove(request))
            {
                return false;
            }

            _index.Remove(request);
            _stale = true;
            return true;
        }
    }

    /// <summary>Takes the head when a slot is free and the head has waited its minimum queue time.</summary>
    public FalRequest? TryStartNext(int slots, DateTimeOffset now, TimeSpan queueDelay, out TimeSpan? retryIn)
    {
        lock (_gate)
        {
            retryIn = null;
            if (Running >= slots || _waiting.First is not { } head)
            {
                return null;
            }

            var eligibleAt = head.Value.SubmittedAt + queueDelay;
            if (eligibleAt > now)
            {
                retryIn = eligibleAt - now;
                return null;
            }

            _waiting.RemoveFirst();
            _index.Remove(head.Value);
            _shift++;
            Running++;
            return head.Value;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            Running--;
        }
    }

    private void Reindex()
    {
        var i = _shift;
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            _index[node.Value] = i++;
        }

        _stale = false;
    }
}
