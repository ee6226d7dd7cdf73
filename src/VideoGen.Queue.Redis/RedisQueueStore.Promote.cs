namespace VideoGen.Queue.Redis;

/// <summary>Runs a parked job now (<see cref="IQueueStore.PromoteAsync"/>): one script call.</summary>
public sealed partial class RedisQueueStore
{
    public async Task<PromoteOutcome> PromoteAsync(string jobId, DateTimeOffset now, CancellationToken ct = default)
    {
        var outcome = (string?)await RunAsync(RedisScript.Promote, now, [jobId], ct).ConfigureAwait(false) switch
        {
            "promoted" => PromoteOutcome.Promoted,
            "waiting" => PromoteOutcome.AlreadyWaiting,
            "noted" => PromoteOutcome.WakeNoted,
            "finished" => PromoteOutcome.Finished,
            _ => PromoteOutcome.NotFound,
        };
        if (outcome == PromoteOutcome.Promoted)
        {
            SignalWork();
        }

        return outcome;
    }
}
