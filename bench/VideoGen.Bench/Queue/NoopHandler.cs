using VideoGen.Queue;

namespace VideoGen.Bench.Queue;

/// <summary>
/// The benchmark's job: does nothing but count itself and, when a pickup probe listens, report the
/// instant it started. Completes synchronously so the measurement is the queue's cost alone.
/// </summary>
public sealed class NoopHandler(TimeProvider time) : IJobHandler
{
    private long _runs;
    private long _finished;
    private Action<long>? _onStart;
    private long _target = long.MaxValue;
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Handlers that returned (the worker then batches their completion).</summary>
    public long Finished => Interlocked.Read(ref _finished);

    /// <summary>Completes once <paramref name="runs"/> runs happened (no polling in the measured phase).</summary>
    public Task RunsReached(long runs)
    {
        Volatile.Write(ref _target, runs);
        if (Runs >= runs)
        {
            _reached.TrySetResult();
        }

        return _reached.Task;
    }

    /// <summary>Called with <see cref="TimeProvider.GetTimestamp"/> at the start of every run; null = nobody listens.</summary>
    public void OnStart(Action<long>? callback) => Volatile.Write(ref _onStart, callback);

    public Task<string?> HandleAsync(JobContext job, CancellationToken ct)
    {
        Volatile.Read(ref _onStart)?.Invoke(time.GetTimestamp());
        if (Interlocked.Increment(ref _runs) >= Volatile.Read(ref _target))
        {
            _reached.TrySetResult();
        }

        Interlocked.Increment(ref _finished);
        return Task.FromResult<string?>(null);
    }
}
