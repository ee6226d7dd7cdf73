namespace VideoGen.Queue.Sqlite;

/// <summary>Runs a parked job now (<see cref="IQueueStore.PromoteAsync"/>): read its state and act, in one write transaction.</summary>
public sealed partial class SqliteQueueStore
{
    public async Task<PromoteOutcome> PromoteAsync(string jobId, DateTimeOffset now, CancellationToken ct = default)
    {
        var outcome = await WriteAsync((s, _) =>
        {
            var state = (long?)s.Command(SqliteStatements.SelectState).With("$q", QueueName).With("$id", jobId).ExecuteScalar();
            switch ((JobState?)state)
            {
                case null:
                    return PromoteOutcome.NotFound;
                case JobState.Waiting:
                    return PromoteOutcome.AlreadyWaiting;
                case JobState.Delayed:
                    s.Command(SqliteStatements.PromoteDelayed).With("$q", QueueName).With("$id", jobId).With("$now", Ms(now)).ExecuteNonQuery();
                    return PromoteOutcome.Promoted;
                case JobState.Active:
                    s.Command(SqliteStatements.NoteWake).With("$q", QueueName).With("$id", jobId).ExecuteNonQuery();
                    return PromoteOutcome.WakeNoted;
                default:
                    return PromoteOutcome.Finished;
            }
        }, ct);
        if (outcome == PromoteOutcome.Promoted)
        {
            _hub.SignalWork();
        }

        return outcome;
    }
}
