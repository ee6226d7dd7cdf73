namespace VideoGen.Queue;

/// <summary>
/// Runs one job. Return normally to complete it. Throw <see cref="PermanentJobException"/> to fail at
/// once, <see cref="RetryAfterException"/> to be run again later without burning an attempt (e.g. the
/// provider said 429), anything else to retry with the job's backoff. When the job is canceled the
/// token fires; when the worker shuts down the token fires and the job is released to another worker.
/// </summary>
public interface IJobHandler
{
    Task<string?> HandleAsync(JobContext job, CancellationToken ct);
}

/// <summary>What a handler knows about the job it runs.</summary>
public sealed class JobContext
{
    private readonly Func<string, CancellationToken, Task<bool>> _reportProgress;

    public JobContext(ClaimedJob job, string queue, Func<string, CancellationToken, Task<bool>> reportProgress)
    {
        Job = job;
        Queue = queue;
        _reportProgress = reportProgress;
    }

    public ClaimedJob Job { get; }
    public string Queue { get; }
    public string Id => Job.Id;
    public string Payload => Job.Payload;
    public int Attempt => Job.Attempt;
    public int MaxAttempts => Job.MaxAttempts;
    public bool IsLastAttempt => Job.Attempt >= Job.MaxAttempts;

    /// <summary>Stores progress (JSON) on the job and publishes it; false if the lease is gone.</summary>
    public Task<bool> ReportProgressAsync(string progress, CancellationToken ct = default) => _reportProgress(progress, ct);
}

/// <summary>Fail the job now, without retries (validation, content policy, …).</summary>
public class PermanentJobException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Run the job again after <see cref="Delay"/> without counting this as an attempt.</summary>
public class RetryAfterException(TimeSpan delay, string reason) : Exception(reason)
{
    public TimeSpan Delay { get; } = delay;
}
