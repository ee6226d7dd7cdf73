using System.Collections.Concurrent;
using System.Text.Json;

namespace ClusterDriver;

public sealed partial class ClusterRun
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(5);
    private List<JsonElement> _rows = [];

    /// <summary>Waits until every video row is terminal (at most <see cref="DrainLimit"/>); what is left then is stuck.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        var since = _clock.Now;
        while (true)
        {
            _rows = await _lb.ListAllAsync(ct) ?? _rows;
            var open = _rows.Count(v => !ClusterApi.IsTerminal(v.GetProperty("status").GetString()));
            if (open == 0 && _rows.Count > 0)
            {
                _clock.Note($"all {_rows.Count} videos are terminal");
                return;
            }
            if (_clock.Now - since > DrainLimit)
            {
                _clock.Note($"{open} videos still not terminal {DrainLimit.TotalMinutes:0} min after the last create");
                return;
            }
            await Task.Delay(1000, ct);
        }
    }

    private async Task VerifyAsync(CancellationToken ct)
    {
        var byId = _rows.ToDictionary(v => v.GetProperty("id").GetString()!, StringComparer.Ordinal);
        _ledger.Accepted = _rows.Count;
        _ledger.Acknowledged = _submitter.Acknowledged.Count;
        _ledger.CreatesRefused = new(_submitter.RefusedBy);
        _ledger.Lost = _submitter.Acknowledged.Keys.Count(id => !byId.ContainsKey(id));
        _ledger.Stuck = _rows.Count(v => !ClusterApi.IsTerminal(v.GetProperty("status").GetString()));
        _ledger.Succeeded = _rows.Count(v => v.GetProperty("status").GetString() == "succeeded");
        _ledger.Canceled = _rows.Count(v => v.GetProperty("status").GetString() == "canceled");
        _ledger.FailedByReason = _rows
            .Where(v => v.GetProperty("status").GetString() == "failed")
            .GroupBy(v => v.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "unknown", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var stats = await FakeFalStatsAsync(ct);
        var submissions = stats.GetProperty("submissions");
        _ledger.FakeFalSubmissions = submissions.GetProperty("total").GetInt32();
        _ledger.SubmittedTwice = submissions.TryGetProperty("duplicate_idempotency_keys", out var dup) ? dup.GetArrayLength() : 0;
        var keys = submissions.TryGetProperty("by_idempotency_key", out var byKey) ? byKey.EnumerateObject().Select(k => k.Name).ToHashSet(StringComparer.Ordinal) : [];
        _ledger.FailedButSubmitted = _rows.Count(v => v.GetProperty("status").GetString() == "failed" && keys.Contains(v.GetProperty("id").GetString()!));

        var temp = Directory.CreateTempSubdirectory("vgc-media-").FullName;
        try
        {
            await CheckMediaAsync(byId.Values.Where(v => v.GetProperty("status").GetString() == "succeeded").Select(v => v.GetProperty("id").GetString()!).ToList(), temp, ct);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
        _clock.Note($"media of {_ledger.MediaCheckedPerHost} videos checked through api1 and api2");
    }

    private async Task CheckMediaAsync(List<string> ids, string temp, CancellationToken ct)
    {
        var checker = new MediaChecker(temp);
        var store = new Uri($"http://{options.ObjectStoreAuthority}");
        var examples = new ConcurrentQueue<string>();
        int bad1 = 0, bad2 = 0, disagree = 0, fromStore = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (id, token) =>
        {
            var one = await checker.CheckAsync(_api1, id, store, token);
            var two = await checker.CheckAsync(_api2, id, store, token);
            if (!one.Ok)
            {
                Interlocked.Increment(ref bad1);
                examples.Enqueue($"{id} via api1: {one.Why}");
            }
            if (!two.Ok)
            {
                Interlocked.Increment(ref bad2);
                examples.Enqueue($"{id} via api2: {two.Why}");
            }
            if (one.Ok && two.Ok && one.Sha256 != two.Sha256)
            {
                Interlocked.Increment(ref disagree);
            }
            Interlocked.Add(ref fromStore, (one.FromObjectStore ? 1 : 0) + (two.FromObjectStore ? 1 : 0));
        });
        _ledger.MediaCheckedPerHost = ids.Count;
        _ledger.UnplayableApi1 = bad1;
        _ledger.UnplayableApi2 = bad2;
        _ledger.HostsDisagree = disagree;
        _ledger.ServedFromObjectStore = fromStore;
        _ledger.UnplayableExamples = [.. examples.Take(10)];
    }
}
