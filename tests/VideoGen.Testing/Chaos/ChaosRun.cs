using System.Diagnostics;
using System.Globalization;

namespace VideoGen.Testing.Chaos;

/// <summary>
/// A chaos run against real processes: <c>videogen serve</c> (API only) and two <c>videogen worker</c>
/// processes on Redis (the queue) and PostgreSQL (the app database), FakeFal as fal. It creates
/// <see cref="ChaosOptions.Videos"/> videos, then acts — SIGKILLs a worker as soon as a video is seen
/// in each pipeline step and at random moments (the killed worker is started again at once),
/// SIGKILLs the API and starts it again on the same address, kills and restarts Redis, or loses the
/// queue (<see cref="QueueLoss"/>) — while the owner cancels a few videos; then waits up to the grace
/// for every video to end and returns the <see cref="ChaosLedger"/>. Every process it starts is
/// killed on dispose, by pid.
/// </summary>
public sealed partial class ChaosRun : IAsyncDisposable
{
    private static readonly string[] Steps = ["submitting", "in_queue", "generating", "ingesting"];

    private readonly ChaosOptions _o;
    private readonly Random _random;
    private readonly TempDir _dir = new("videogen-chaos");
    private readonly Uri _apiUrl = new($"http://127.0.0.1:{LoopbackPort.Free()}");
    private readonly Task<VideoGenProcess>?[] _workers = new Task<VideoGenProcess>?[2];
    private readonly List<string> _actions = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ChaosVideo> _videos = [];
    private readonly Lock _videosGate = new();
    private readonly string _queueName = $"chaos-{Guid.NewGuid():N}";
    private RedisServer? _redis;
    private FakeFalProcess? _fakeFal;
    private VideoGenProcess? _api;
    private ChaosApi? _client;
    private volatile IReadOnlyList<VideoSeen> _latest = [];
    private int _createRefused;
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChaosRun(ChaosOptions options)
    {
        _o = options;
        _random = new Random(options.Seed);
    }

    /// <summary>Runs the chaos described by <paramref name="options"/> and returns its ledger (also written to the log).</summary>
    public static async Task<ChaosLedger> RunAsync(ChaosOptions options)
    {
        await using var run = new ChaosRun(options);
        return await run.RunAsync();
    }

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<ChaosLedger> RunAsync()
    {
        await StartAsync();
        Log($"started: serve at {_apiUrl}, 2 workers × {_o.WorkerConcurrency}, Redis {_redis!.Endpoint}, FakeFal {_fakeFal!.BaseUrl}, webhooks {(_o.Webhooks ? "on" : "off")}, seed {_o.Seed}");
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var watching = WatchAsync(stopWatching.Token);
        try
        {
            // Worker kills start with the first videos; the other actions wait for all videos to be accepted.
            var chaos = ChaosAsync();
            try
            {
                await CreateAllAsync();
            }
            finally
            {
                _created.TrySetResult();
            }
            Log($"{_videos.Count} videos accepted, {_createRefused} refused, at {Elapsed}");
            await chaos;
            Log($"chaos over at {Elapsed}: {_actions.Count} actions");
            var settled = await WaitForAllTerminalAsync(_o.Grace);
            Log($"{(settled ? "all terminal" : "grace over, some not terminal")} at {Elapsed}");
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watching;
        }

        var final = await ListUntilAnsweredAsync();
        var stats = await _fakeFal.StatsAsync();
        var run = string.Create(CultureInfo.InvariantCulture,
            $"{_o.Videos} videos, webhooks {(_o.Webhooks ? "on" : "off")}, queue loss {_o.QueueLoss}, seed {_o.Seed}, {Elapsed} in all; actions: {string.Join("; ", _actions)}\n"
            + $"FakeFal faults: {stats.GetProperty("faults").GetRawText()}\nFakeFal webhooks: {stats.GetProperty("webhooks").GetRawText()}");
        var ledger = ChaosLedger.Build(_videos, _createRefused, final, stats, _o.Webhooks, run);
        Log(ledger.ToString());
        return ledger;
    }

    private string Elapsed => string.Create(CultureInfo.InvariantCulture, $"{_clock.Elapsed.TotalSeconds:0.0} s");

    private void Log(string line) => _o.Log(line);

    private async Task CreateAllAsync()
    {
        var next = -1;
        async Task CreateLoopAsync()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= _o.Videos)
                {
                    return;
                }

                var error = Every(i, _o.EveryNthProviderError, 0);
                var refused = !error && Every(i, _o.EveryNthRefused, 1);
                var cancel = !error && !refused && Every(i, _o.EveryNthCanceled, 2);
                var prompt = string.Create(CultureInfo.InvariantCulture, $"chaos clip {i}{(error ? " [fakefal:error]" : "")}{(refused ? " [fakefal:validation]" : "")}");
                var key = string.Create(CultureInfo.InvariantCulture, $"chaos-{_o.Seed}-{i}");
                string? id = null;
                for (var attempt = 1; id is null && attempt <= CreateAttempts; attempt++)
                {
                    (id, var refusal) = await _client!.TryCreateAsync(prompt, key, Ct);
                    if (id is null)
                    {
                        Log($"create {i} attempt {attempt} not accepted: {refusal}");
                        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
                    }
                }
                lock (_videosGate)
                {
                    if (id is null)
                    {
                        _createRefused++;
                    }
                    else
                    {
                        _videos.Add(new ChaosVideo(id, i, error, refused, cancel));
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, _o.CreateConcurrency).Select(_ => CreateLoopAsync()));
    }

    /// <summary>A create not accepted (the API being killed, a timeout under load) is sent again with the same key.</summary>
    private const int CreateAttempts = 5;

    private static bool Every(int i, int n, int offset) => n > 0 && i % n == offset % n;

    /// <summary>Lists all videos every second (every 5 s from 1,000 videos on) and sends the owner's planned cancels.</summary>
    private async Task WatchAsync(CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(_o.Videos >= 1000 ? 5 : 1);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (_client is { } client && await client.TryListAsync(ct) is { } list)
                {
                    _latest = list;
                    await SendPlannedCancelsAsync(client, list, ct);
                }

                await Task.Delay(interval, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Done watching.
        }
    }

    private async Task SendPlannedCancelsAsync(ChaosApi client, IReadOnlyList<VideoSeen> list, CancellationToken ct)
    {
        List<ChaosVideo> planned;
        lock (_videosGate)
        {
            planned = [.. _videos.Where(v => v.CancelPlanned && v.CancelAnswer is 0)];
        }

        var statuses = list.ToDictionary(v => v.Id, v => v.Status, StringComparer.Ordinal);
        foreach (var video in planned)
        {
            // Canceled once it is under way (submitted or further), when the cancel has to reach fal.
            if (statuses.TryGetValue(video.Id, out var status) && status is "in_queue" or "generating")
            {
                video.CancelSent = true;
                video.CancelAnswer = await client.TryCancelAsync(video.Id, ct);
            }
        }
    }

    private async Task<bool> WaitForAllTerminalAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var latest = _latest;
            if (latest.Count >= _videos.Count && latest.All(v => ChaosApi.IsTerminal(v.Status)))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        }

        return false;
    }

    private async Task<IReadOnlyList<VideoSeen>> ListUntilAnsweredAsync()
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            if (await _client!.TryListAsync(Ct) is { } list)
            {
                return list;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }

        throw new TimeoutException($"The API at {_apiUrl} did not list the videos within 60 s:\n{_api?.Process.Tail(40)}");
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        foreach (var starting in _workers)
        {
            if (starting is not null)
            {
                try
                {
                    await (await starting).DisposeAsync();
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or OperationCanceledException)
                {
                    // It never started; nothing to stop.
                }
            }
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_fakeFal is not null)
        {
            await _fakeFal.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _dir.Dispose();
    }
}
