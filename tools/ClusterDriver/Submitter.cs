using System.Collections.Concurrent;

namespace ClusterDriver;

/// <summary>
/// Creates the run's videos through the load balancer. A create that is refused or gets no answer
/// is tried again (with a new prompt suffix, so a create that was in fact accepted shows up as an
/// extra row, not a duplicate the driver cannot tell apart) until it is acknowledged with 202.
/// </summary>
public sealed class Submitter(ClusterApi lb, RunClock clock, string runTag)
{
    private readonly ConcurrentDictionary<string, TimeSpan> _acknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _refusedBy = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Video id → when its create was acknowledged.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Acknowledged => _acknowledged;

    /// <summary>Create attempts that got no 202, by reason (retried).</summary>
    public IReadOnlyDictionary<string, int> RefusedBy => _refusedBy;

    /// <summary>Creates <paramref name="count"/> videos evenly over <paramref name="window"/>.</summary>
    public async Task RunPacedAsync(int count, TimeSpan window, CancellationToken ct)
    {
        var start = clock.Now;
        for (var i = 0; i < count; i++)
        {
            await clock.UntilAsync(start + (window * i / count), ct);
            await CreateOneAsync(ct);
        }
    }

    /// <summary>Creates one video, trying for at most two minutes; its id.</summary>
    public async Task<string> CreateOneAsync(CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _next);
        var started = clock.Now;
        for (var attempt = 1; ; attempt++)
        {
            var (id, why) = await lb.CreateAsync($"cluster run {runTag}: video {n} (attempt {attempt}), a lighthouse at dusk", ct);
            if (id is not null)
            {
                _acknowledged[id] = clock.Now;
                return id;
            }
            _refusedBy.AddOrUpdate(why, 1, (_, c) => c + 1);
            if (clock.Now - started > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"video {n}: no create was acknowledged within 2 minutes (last: {why})");
            }
            await Task.Delay(250, ct);
        }
    }
}
