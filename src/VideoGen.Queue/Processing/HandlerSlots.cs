namespace VideoGen.Queue.Processing;

/// <summary>
/// The worker's handler slots: a runner takes one before it starts a job and the job gives it back when
/// its handler returns, so never more than <see cref="Concurrency"/> handlers run at once. The number
/// taken is what the worker reports as running.
/// </summary>
internal sealed class HandlerSlots(int concurrency)
{
    private int _taken;

    public int Concurrency => concurrency;

    /// <summary>Slots taken right now (never more than <see cref="Concurrency"/>).</summary>
    public int Taken => Volatile.Read(ref _taken);

    public bool AnyFree => Volatile.Read(ref _taken) < concurrency;

    /// <summary>Takes a slot if one is free; false when all are taken.</summary>
    public bool TryTake()
    {
        while (true)
        {
            var taken = Volatile.Read(ref _taken);
            if (taken >= concurrency)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _taken, taken + 1, taken) == taken)
            {
                return true;
            }
        }
    }

    public void Release() => Interlocked.Decrement(ref _taken);
}
