using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace VideoGen.Queue.Processing;

/// <summary>
/// Every job this worker holds a lease on, from claim until its outcome is written (or given up): what
/// the heartbeat renews, where cancel requests and lost leases find their job, and what claiming counts
/// against the jobs the worker may hold.
/// </summary>
internal sealed class HeldJobs
{
    private readonly ConcurrentDictionary<string, RunningJob> _jobs = new(StringComparer.Ordinal);

    public int Count => _jobs.Count;

    public void Add(RunningJob run) => _jobs[run.Job.Id] = run;

    /// <summary>Lets go of <paramref name="run"/> (and only that run: a later claim of the same job id stays).</summary>
    public void Forget(RunningJob run) => _jobs.TryRemove(new KeyValuePair<string, RunningJob>(run.Job.Id, run));

    public bool TryGet(string jobId, [MaybeNullWhen(false)] out RunningJob run) => _jobs.TryGetValue(jobId, out run);

    /// <summary>The leases still worth renewing: every held job whose lease is not known to be lost.</summary>
    public List<LeaseRef> LiveLeases()
    {
        var leases = new List<LeaseRef>(_jobs.Count);
        foreach (var run in _jobs.Values)
        {
            if (!run.Lost)
            {
                leases.Add(run.Lease);
            }
        }

        return leases;
    }

    /// <summary>Held jobs whose outcome nobody has started to write yet.</summary>
    public List<RunningJob> NotFinalized() => [.. _jobs.Values.Where(r => !r.IsFinalized)];

    /// <summary>True while a returned handler's completion still waits to be written.</summary>
    public bool AnyAwaitingCompletionFlush() => _jobs.Values.Any(r => r.AwaitingCompletionFlush);
}
