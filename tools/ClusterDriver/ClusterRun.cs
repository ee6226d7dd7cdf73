using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ClusterDriver;

/// <summary>
/// The run: videos through the load balancer, evenly over a submit window, while four faults happen
/// one after another (worker1 dies, worker2 is cut off, the Redis primary dies, api2 stops); then
/// every video must finish and be playable through both API hosts.
/// </summary>
public sealed partial class ClusterRun(DriverOptions options) : IDisposable
{
    private readonly RunClock _clock = new();
    private readonly ClusterApi _lb = new(options.LoadBalancer);
    private readonly ClusterApi _api1 = new(options.Apis[0]);
    private readonly ClusterApi _api2 = new(options.Apis[1]);
    private readonly HttpClient _fakeFal = new() { BaseAddress = options.FakeFal, Timeout = TimeSpan.FromSeconds(15) };
    private readonly Ledger _ledger = new() { Videos = options.Videos };
    private readonly List<Task> _heals = [];
    private Faults _faults = null!;
    private Submitter _submitter = null!;

    public async Task<Ledger> RunAsync(CancellationToken ct)
    {
        _faults = new Faults(options, _clock);
        _submitter = new Submitter(_lb, _clock, Guid.NewGuid().ToString("N")[..6]);
        // One video more is created right after the Redis failover (see RedisPrimaryDiesAsync).
        var paced = options.Videos - options.SseClients - 1;
        var window = TimeSpan.FromSeconds(Math.Max(60, paced * 0.45));
        _clock.Note($"submitting {paced} videos over {window.TotalSeconds:0} s through {options.LoadBalancer} (+{options.SseClients} held by SSE clients later)");
        var submitting = _submitter.RunPacedAsync(paced, window, ct);

        await _clock.UntilAsync(TimeSpan.FromSeconds(8), ct);
        await WorkerDiesAsync("worker1", ct);
        await _clock.UntilAsync(TimeSpan.FromSeconds(15), ct);
        await PartitionAsync("worker2", ct);
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        await RedisPrimaryDiesAsync(ct);
        await ApiStopsAsync("api2", ct);

        await submitting;
        _clock.Note($"all {_submitter.Acknowledged.Count} creates acknowledged");
        await Task.WhenAll(_heals);
        await DrainAsync(ct);
        await VerifyAsync(ct);
        _ledger.RunSeconds = _clock.Now.TotalSeconds;
        _ledger.Timeline = [.. _clock.Timeline];
        return _ledger;
    }

    /// <summary>What became of the videos a fault hit: when the last was picked up by another worker, when the last finished, and how.</summary>
    private sealed record Recovery(TimeSpan? TakenOver, TimeSpan? Finished, string Outcomes)
    {
        public string Describe(Func<TimeSpan?, string> seconds) =>
            $"taken over by other workers {seconds(TakenOver)} after it, all finished {seconds(Finished)} after it ({Outcomes})";
    }

    /// <summary>
    /// Waits until every video in <paramref name="ids"/> (which <paramref name="worker"/> was running) is terminal,
    /// reading through the LB; times are from <paramref name="from"/>, null past <paramref name="limit"/>. A video is
    /// taken over once another worker holds its job (or it is terminal).
    /// </summary>
    private async Task<Recovery> RecoverAsync(IReadOnlyCollection<string> ids, string? worker, TimeSpan from, TimeSpan limit, CancellationToken ct)
    {
        var pending = new HashSet<string>(ids, StringComparer.Ordinal);
        var notTakenOver = new HashSet<string>(ids, StringComparer.Ordinal);
        TimeSpan? takenOver = ids.Count == 0 ? TimeSpan.Zero : null;
        var outcomes = new List<string>();
        while (pending.Count > 0)
        {
            if (_clock.Now - from > limit)
            {
                return new(takenOver, null, $"{pending.Count} not finished");
            }
            if (notTakenOver.Count > 0 && await _lb.ActiveJobsAsync(ct) is { } active)
            {
                notTakenOver.ExceptWith(active.Where(j => j.WorkerId != worker).Select(j => j.Id));
            }
            foreach (var id in pending.ToList())
            {
                if (await _lb.GetVideoAsync(id, ct) is { } v && v.GetProperty("status").GetString() is { } status && ClusterApi.IsTerminal(status))
                {
                    pending.Remove(id);
                    notTakenOver.Remove(id);
                    outcomes.Add(status == "failed" && v.TryGetProperty("errorType", out var t) ? $"failed ({t.GetString()})" : status);
                }
            }
            if (notTakenOver.Count == 0 && takenOver is null)
            {
                takenOver = _clock.Now - from;
            }
            if (pending.Count > 0)
            {
                await Task.Delay(250, ct);
            }
        }
        return new(takenOver, _clock.Now - from, string.Join(", ", outcomes.GroupBy(o => o, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")));
    }

    /// <summary>Waits (up to 60 s) until the load balancer has served requests from both API hosts again.</summary>
    private async Task BothApisInServiceAsync(CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var since = _clock.Now;
        while (seen.Count < 2 && _clock.Now - since < TimeSpan.FromSeconds(60))
        {
            if ((await _lb.ProbeAsync("/api/videos?limit=1", ct)).ServedBy is { } host)
            {
                seen.Add(host);
            }
            await Task.Delay(100, ct);
        }
        _clock.Note(seen.Count == 2 ? "the load balancer serves from both API hosts" : $"the load balancer serves only from {string.Join(", ", seen)}");
    }

    /// <summary>The ids of the jobs <paramref name="workerId"/> is running, waiting up to 30 s for it to run at least one.</summary>
    private async Task<List<string>> RunningOnAsync(string workerId, CancellationToken ct)
    {
        var since = _clock.Now;
        while (_clock.Now - since < TimeSpan.FromSeconds(30))
        {
            var jobs = await _lb.ActiveJobsAsync(ct);
            var mine = jobs?.Where(j => j.WorkerId == workerId).Select(j => j.Id).ToList() ?? [];
            if (mine.Count > 0)
            {
                return mine;
            }
            await Task.Delay(200, ct);
        }
        _clock.Note($"{workerId} ran no job within 30 s; faulting it anyway");
        return [];
    }

    private async Task ConfigureFakeFalAsync(string json, CancellationToken ct)
    {
        using var response = await _fakeFal.PostAsync("/_fake/config", new StringContent(json, Encoding.UTF8, "application/json"), ct);
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> FakeFalStatsAsync(CancellationToken ct) =>
        await _fakeFal.GetFromJsonAsync<JsonElement>("/_fake/stats?requests=false", ct);

    private static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.0} s" : "not within the limit";

    public void Dispose()
    {
        _lb.Dispose();
        _api1.Dispose();
        _api2.Dispose();
        _fakeFal.Dispose();
    }
}
