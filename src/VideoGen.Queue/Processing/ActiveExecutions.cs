namespace VideoGen.Queue.Processing;

/// <summary>
/// Counts the jobs a runner or settler is working on, from the moment it takes a job until the job's
/// outcome is written (or given up), so a stopping worker knows when the last one is done.
/// </summary>
/// <param name="stopping">Fires when the worker stops claiming; only then does reaching zero complete <see cref="Drained"/>.</param>
internal sealed class ActiveExecutions(CancellationToken stopping)
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when the count reaches zero after <c>stopping</c> fired.</summary>
    public Task Drained => _drained.Task;

    public void Begin() => Interlocked.Increment(ref _count);

    public void End()
    {
        if (Interlocked.Decrement(ref _count) == 0 && stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }
}
