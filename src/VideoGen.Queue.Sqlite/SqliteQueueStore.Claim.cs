using System.Text;

namespace VideoGen.Queue.Sqlite;

public sealed partial class SqliteQueueStore
{
    public async Task<IReadOnlyList<ClaimedJob>> ClaimAsync(ClaimRequest request, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Volatile.Write(ref _generationAtClaim, _hub.WorkGeneration);
        return await WriteAsync((s, events) => Claim(s, request, now, events), ct);
    }

    public async Task<CompleteAndClaimResult> CompleteAndClaimAsync(IReadOnlyList<JobCompletion> completions, ClaimRequest next, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _generationAtClaim, _hub.WorkGeneration);
        var result = await WriteAsync((s, events) =>
        {
            var completed = Complete(s, completions, now, events);
            var claimed = Claim(s, next, now, events);
            return new CompleteAndClaimResult(completed, claimed);
        }, ct);
        if (_limitsActive && result.Completed.Contains(true))
        {
            _hub.SignalWork();
        }

        return result;
    }

    /// <summary>
    /// Picks up to <see cref="ClaimRequest.Max"/> jobs in scheduling order within the queue's limits and
    /// leases them with one <c>UPDATE … WHERE seq IN (…) RETURNING</c>. Order: highest priority; within
    /// a priority the groups take turns, the group served longest ago first (round robin), each group's
    /// jobs first in first out.
    /// </summary>
    private List<ClaimedJob> Claim(SqliteSession s, ClaimRequest request, DateTimeOffset now, List<PendingEvent> events)
    {
        if (request.Max <= 0)
        {
            return [];
        }

        // What other connections had committed when this claim looked: a later commit by one of them
        // (another process enqueuing) changes it, which an idle wait watches for (see WaitForWorkAsync).
        Volatile.Write(ref _dataVersionAtClaim, (long)s.Command(SqliteStatements.DataVersion).ExecuteScalar()!);
        var nowMs = Ms(now);
        s.Command(SqliteStatements.PromoteDue).With("$q", QueueName).With("$now", nowMs).ExecuteNonQuery();

        bool paused;
        long active;
        long? globalConcurrency, rateLimit, maxPerGroup;
        long rateWindowMs;
        using (var meta = s.Command(SqliteStatements.SelectMeta).With("$q", QueueName).ExecuteReader())
        {
            if (!meta.Read())
            {
                return [];
            }

            paused = meta.GetInt64(0) != 0;
            active = meta.GetInt64(1);
            globalConcurrency = meta.GetNullableInt64(2);
            rateLimit = meta.GetNullableInt64(3);
            rateWindowMs = meta.GetInt64(4);
            maxPerGroup = meta.GetNullableInt64(5);
        }

        _limitsActive = globalConcurrency is not null || maxPerGroup is not null;
        if (paused)
        {
            return [];
        }

        long budget = request.Max;
        if (globalConcurrency is { } gc)
        {
            budget = Math.Min(budget, gc - active);
        }

        if (rateLimit is { } rate)
        {
            var cutoff = nowMs - rateWindowMs;
            s.Command(SqliteStatements.PruneStarts).With("$q", QueueName).With("$cutoff", cutoff).ExecuteNonQuery();
            var used = (long)s.Command(SqliteStatements.SumStarts).With("$q", QueueName).With("$cutoff", cutoff).ExecuteScalar()!;
            budget = Math.Min(budget, rate - used);
        }

        if (budget <= 0)
        {
            return [];
        }

        var picks = PickInSchedulingOrder(s, (int)budget, maxPerGroup);
        if (picks.Count == 0)
        {
            return [];
        }

        var order = new Dictionary<long, int>(picks.Count);
        var json = new StringBuilder(picks.Count * 8).Append('[');
        for (var i = 0; i < picks.Count; i++)
        {
            order[picks[i]] = i;
            json.Append(i == 0 ? "" : ",").Append(Invariant(picks[i]));
        }

        json.Append(']');
        var token = Guid.NewGuid().ToString("N") + ":";
        var expires = now + request.Lease;
        var rows = new List<(int Order, ClaimedJob Job)>(picks.Count);
        using (var reader = s.Command(SqliteStatements.Claim)
            .With("$seqs", json.ToString())
            .With("$now", nowMs)
            .With("$worker", request.WorkerId)
            .With("$token", token)
            .With("$expires", Ms(expires))
            .ExecuteReader())
        {
            while (reader.Read())
            {
                var job = new ClaimedJob
                {
                    Id = reader.GetString(1),
                    Payload = reader.GetString(2),
                    Group = PublicGroup(reader.GetString(3)),
                    Priority = reader.GetInt32(4),
                    Attempt = reader.GetInt32(5),
                    MaxAttempts = reader.GetInt32(6),
                    Backoff = new BackoffPolicy(
                        TimeSpan.FromMilliseconds(reader.GetDouble(7)),
                        TimeSpan.FromMilliseconds(reader.GetDouble(8)),
                        reader.GetDouble(9)),
                    LeaseToken = reader.GetString(10),
                    LeaseExpiresAt = Time(Ms(expires)),
                };
                rows.Add((order[reader.GetInt64(0)], job));
            }
        }

        rows.Sort((a, b) => a.Order.CompareTo(b.Order));
        if (rateLimit is not null && rows.Count > 0)
        {
            s.Command(SqliteStatements.InsertStarts).With("$q", QueueName).With("$now", nowMs).With("$n", rows.Count).ExecuteNonQuery();
        }

        var claimed = new List<ClaimedJob>(rows.Count);
        foreach (var (_, job) in rows)
        {
            claimed.Add(job);
            events.Add(new PendingEvent(job.Id, JobEventKind.Active, now));
        }

        return claimed;
    }

    private List<long> PickInSchedulingOrder(SqliteSession s, int budget, long? maxPerGroup)
    {
        var groups = new List<(long Priority, string Group, long Ready, long Active)>();
        using (var reader = s.Command(SqliteStatements.EligibleGroups)
            .With("$q", QueueName)
            .With("$maxg", maxPerGroup)
            .With("$limit", (budget * 2) + 16)
            .ExecuteReader())
        {
            while (reader.Read())
            {
                groups.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var picks = new List<long>(budget);
        var takenPerGroup = new Dictionary<string, long>(StringComparer.Ordinal);
        var index = 0;
        while (index < groups.Count && picks.Count < budget)
        {
            var priority = groups[index].Priority;
            var heads = new List<List<long>>();
            for (; index < groups.Count && groups[index].Priority == priority; index++)
            {
                var (_, group, ready, groupActive) = groups[index];
                var room = budget - picks.Count;
                if (heads.Count >= room)
                {
                    continue;
                }

                takenPerGroup.TryGetValue(group, out var taken);
                var cap = Math.Min(ready, room);
                if (maxPerGroup is { } max)
                {
                    cap = Math.Min(cap, max - groupActive - taken);
                }

                if (cap <= 0)
                {
                    continue;
                }

                var seqs = new List<long>((int)cap);
                using (var reader = s.Command(SqliteStatements.GroupHeads)
                    .With("$q", QueueName)
                    .With("$priority", priority)
                    .With("$grp", group)
                    .With("$n", cap)
                    .ExecuteReader())
                {
                    while (reader.Read())
                    {
                        seqs.Add(reader.GetInt64(0));
                    }
                }

                takenPerGroup[group] = taken + seqs.Count;
                heads.Add(seqs);
            }

            // Round robin across this priority's groups: everyone's first job, then everyone's second, …
            for (var round = 0; picks.Count < budget; round++)
            {
                var any = false;
                foreach (var seqs in heads)
                {
                    if (round < seqs.Count && picks.Count < budget)
                    {
                        picks.Add(seqs[round]);
                        any = true;
                    }
                }

                if (!any)
                {
                    break;
                }
            }
        }

        return picks;
    }
}
