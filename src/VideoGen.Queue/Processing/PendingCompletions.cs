using System.Collections.Concurrent;

namespace VideoGen.Queue.Processing;

/// <summary>A returned handler's completion, waiting to be written with others in one store call.</summary>
internal readonly record struct PendingCompletion(RunningJob Run, JobCompletion Completion);

/// <summary>
/// Completions of handlers that returned, waiting for the next store call (the claim loop's or the second
/// lane's) to write them as one batch, so a busy worker writes many completions per round trip.
/// </summary>
/// <param name="maxBatch">The most completions one call takes, so one huge batch does not hold the store's writer for long.</param>
internal sealed class PendingCompletions(int maxBatch)
{
    private readonly ConcurrentQueue<PendingCompletion> _queue = new();

    public bool IsEmpty => _queue.IsEmpty;

    public int MaxBatch => maxBatch;

    public void Add(RunningJob run, string? result)
    {
        run.AwaitingCompletionFlush = true;
        _queue.Enqueue(new PendingCompletion(run, new JobCompletion(run.Job.Id, run.Job.LeaseToken, result)));
    }

    /// <summary>Moves waiting completions into <paramref name="batch"/> until it holds <see cref="MaxBatch"/>.</summary>
    public void DrainInto(List<PendingCompletion> batch)
    {
        while (batch.Count < maxBatch && _queue.TryDequeue(out var item))
        {
            batch.Add(item);
        }
    }

    /// <summary>Puts a batch whose call failed back, for the next call to send; empties <paramref name="batch"/>.</summary>
    public void Return(List<PendingCompletion> batch)
    {
        foreach (var item in batch)
        {
            _queue.Enqueue(item);
        }

        batch.Clear();
    }
}
