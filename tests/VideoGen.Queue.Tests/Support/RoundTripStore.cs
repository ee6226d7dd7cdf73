using VideoGen.Queue.Sqlite;

namespace VideoGen.Queue.Tests.Support;

/// <summary>
/// A real SQLite store behind a simulated network round trip on the worker's hot calls (claim,
/// complete, complete-and-claim), reporting <see cref="IQueueStore.OverlapsCalls"/> like a networked
/// store, and counting how many of those calls were in flight at once.
/// </summary>
public sealed class RoundTripStore(SqliteQueueStore inner, TimeSpan roundTrip) : IQueueStore
{
    private int _inFlight;
    private int _peakInFlight;

    public int PeakCallsInFlight => Volatile.Read(ref _peakInFlight);

    public string QueueName => inner.QueueName;

    public bool OverlapsCalls => true;

    public Task<IReadOnlyList<ClaimedJob>> ClaimAsync(ClaimRequest request, DateTimeOffset now, CancellationToken ct = default) =>
        OverNetworkAsync(() => inner.ClaimAsync(request, now, ct));

    public Task<IReadOnlyList<bool>> CompleteAsync(IReadOnlyList<JobCompletion> completions, DateTimeOffset now, CancellationToken ct = default) =>
        OverNetworkAsync(() => inner.CompleteAsync(completions, now, ct));

    public Task<CompleteAndClaimResult> CompleteAndClaimAsync(IReadOnlyList<JobCompletion> completions, ClaimRequest next, DateTimeOffset now, CancellationToken ct = default) =>
        OverNetworkAsync(() => inner.CompleteAndClaimAsync(completions, next, now, ct));

    public Task<EnqueueOutcome> EnqueueAsync(EnqueueRequest job, DateTimeOffset now, CancellationToken ct = default) => inner.EnqueueAsync(job, now, ct);

    public Task<int> EnqueueManyAsync(IReadOnlyList<EnqueueRequest> jobs, DateTimeOffset now, CancellationToken ct = default) => inner.EnqueueManyAsync(jobs, now, ct);

    public Task<FailOutcome> FailAsync(JobFailure failure, DateTimeOffset now, CancellationToken ct = default) => inner.FailAsync(failure, now, ct);

    public Task<bool> ReleaseAsync(LeaseRef lease, DateTimeOffset runAt, DateTimeOffset now, CancellationToken ct = default) => inner.ReleaseAsync(lease, runAt, now, ct);

    public Task<PromoteOutcome> PromoteAsync(string jobId, DateTimeOffset now, CancellationToken ct = default) => inner.PromoteAsync(jobId, now, ct);

    public Task<bool> MarkCanceledAsync(LeaseRef lease, string reason, DateTimeOffset now, CancellationToken ct = default) => inner.MarkCanceledAsync(lease, reason, now, ct);

    public Task<LeaseRenewal> ExtendLeasesAsync(string workerId, IReadOnlyList<LeaseRef> leases, TimeSpan lease, DateTimeOffset now, CancellationToken ct = default) =>
        inner.ExtendLeasesAsync(workerId, leases, lease, now, ct);

    public Task<int> RecoverExpiredAsync(DateTimeOffset now, CancellationToken ct = default) => inner.RecoverExpiredAsync(now, ct);

    public Task<bool> ReportProgressAsync(LeaseRef lease, string progress, DateTimeOffset now, CancellationToken ct = default) => inner.ReportProgressAsync(lease, progress, now, ct);

    public Task<CancelOutcome> CancelAsync(string jobId, string reason, DateTimeOffset now, CancellationToken ct = default) => inner.CancelAsync(jobId, reason, now, ct);

    public Task<JobInfo?> GetAsync(string jobId, CancellationToken ct = default) => inner.GetAsync(jobId, ct);

    public Task<IReadOnlyDictionary<JobState, long>> CountsAsync(CancellationToken ct = default) => inner.CountsAsync(ct);

    public Task<JobPage> ListAsync(JobState state, string? cursor, int limit, CancellationToken ct = default) => inner.ListAsync(state, cursor, limit, ct);

    public Task<bool> RetryAsync(string jobId, DateTimeOffset now, CancellationToken ct = default) => inner.RetryAsync(jobId, now, ct);

    public Task<bool> RemoveAsync(string jobId, CancellationToken ct = default) => inner.RemoveAsync(jobId, ct);

    public Task PauseAsync(CancellationToken ct = default) => inner.PauseAsync(ct);

    public Task ResumeAsync(CancellationToken ct = default) => inner.ResumeAsync(ct);

    public Task<bool> IsPausedAsync(CancellationToken ct = default) => inner.IsPausedAsync(ct);

    public Task SetLimitsAsync(QueueLimits limits, CancellationToken ct = default) => inner.SetLimitsAsync(limits, ct);

    public Task<int> TrimAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken ct = default) => inner.TrimAsync(policy, now, ct);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default) => inner.NextDueAsync(ct);

    public Task WaitForWorkAsync(TimeSpan maxWait, CancellationToken ct = default) => inner.WaitForWorkAsync(maxWait, ct);

    public IAsyncEnumerable<JobEvent> ReadEventsAsync(string? afterPosition, CancellationToken ct) => inner.ReadEventsAsync(afterPosition, ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task<T> OverNetworkAsync<T>(Func<Task<T>> call)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, now, peak) != peak)
        {
        }

        try
        {
            await Task.Delay(roundTrip / 2, CancellationToken.None);
            var result = await call();
            await Task.Delay(roundTrip / 2, CancellationToken.None);
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
