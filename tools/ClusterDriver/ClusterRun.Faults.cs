namespace ClusterDriver;

public sealed partial class ClusterRun
{
    private static readonly TimeSpan HealLimit = TimeSpan.FromMinutes(3);

    /// <summary>Fault 1: every process of a worker host is SIGKILLed; its jobs must finish elsewhere.</summary>
    private async Task WorkerDiesAsync(string host, CancellationToken ct)
    {
        var running = await RunningOnAsync(host, ct);
        var at = _clock.Now;
        await _faults.RunAsync("kill-host", host, ct);
        _heals.Add(Task.Run(async () =>
        {
            var recovery = await RecoverAsync(running, host, at, HealLimit, ct);
            _clock.Note($"the {running.Count} videos {host} was running are finished: {recovery.Outcomes}");
            _ledger.Heals[$"{host} killed (SIGKILL of every process) while running {running.Count} videos"] =
                recovery.Describe(Seconds) + " (leases last 10 s)";
        }, ct));
    }

    /// <summary>Fault 2: a worker's link is cut for <see cref="DriverOptions.PartitionLength"/>; others take its jobs; its late writes are refused.</summary>
    private async Task PartitionAsync(string host, CancellationToken ct)
    {
        var running = await RunningOnAsync(host, ct);
        var at = _clock.Now;
        await _faults.RunAsync("cut-link", host, ct);
        var takenOver = Task.Run(() => RecoverAsync(running, host, at, HealLimit, ct), ct);
        await Task.Delay(options.PartitionLength, ct);
        await _faults.RunAsync("restore-link", host, ct);
        var restoredAt = _clock.Now;
        var restoredWall = TimeProvider.System.GetUtcNow();
        _heals.Add(Task.Run(async () =>
        {
            TimeSpan? back = null;
            while (_clock.Now - restoredAt < HealLimit)
            {
                if ((await _lb.WorkerHeartbeatsAsync(ct))?.TryGetValue(host, out var beat) == true && beat > restoredWall)
                {
                    back = _clock.Now - restoredAt;
                    break;
                }
                await Task.Delay(200, ct);
            }
            var recovery = await takenOver;
            _clock.Note($"{host} heartbeating again; the {running.Count} videos it was running are finished: {recovery.Outcomes}");
            var logs = LogCounts.Read(options.Logs, host);
            _ledger.Heals[$"{host} cut off for {options.PartitionLength.TotalSeconds:0} s while running {running.Count} videos"] =
                recovery.Describe(Seconds) + $"; {host} heartbeating again {Seconds(back)} after the link came back; " +
                $"its late writes refused: {logs.CompletionsRefused} job completions (lease fence), {logs.RowWritesRefused} video-row writes (compare-and-set); " +
                $"{logs.LeasesLost} of its handlers stopped on a lost lease, {logs.OutcomesNotRecorded} job outcomes it could not record while cut off";
        }, ct));
    }

    /// <summary>Fault 3: the Redis primary is SIGKILLed; the sentinels promote the replica; the API and workers carry on.</summary>
    private async Task RedisPrimaryDiesAsync(CancellationToken ct)
    {
        var before = await SentinelProbe.PrimaryAsync(options.Sentinel, options.RedisService, ct);
        var at = _clock.Now;
        await _faults.RunAsync("kill-redis-primary", null, ct);
        TimeSpan? promoted = null, lastFailure = null;
        Task<string>? probe = null;
        var created = TimeSpan.Zero;
        var failedQueueCalls = 0;
        // Queue calls through the LB (2 s each) for 30 s: when the last one failed is when the API was back.
        while (_clock.Now - at < TimeSpan.FromSeconds(30))
        {
            if (promoted is null && await SentinelProbe.PrimaryAsync(options.Sentinel, options.RedisService, ct) is { } now && now != before)
            {
                promoted = _clock.Now - at;
                _clock.Note($"sentinels report {now} as the primary (was {before})");
                // A video created now is enqueued on the promoted replica: its success shows the queue, workers and API all carry on.
                created = _clock.Now - at;
                probe = _submitter.CreateOneAsync(ct);
            }
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            int status;
            try
            {
                status = (await _lb.ProbeAsync("/api/admin/queues/videos", attempt.Token)).Status;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                status = 0;
            }
            if (status != 200)
            {
                failedQueueCalls++;
                lastFailure = _clock.Now - at;
            }
            await Task.Delay(100, ct);
        }
        var probeId = await (probe ?? _submitter.CreateOneAsync(ct));
        _heals.Add(Task.Run(async () =>
        {
            var done = await RecoverAsync([probeId], null, at, HealLimit, ct);
            var reEnqueued = LogCounts.Read(options.Logs, "api1", "api2", "worker1", "worker2", "worker3").ReEnqueued;
            _ledger.Heals["Redis primary killed (SIGKILL)"] =
                $"sentinels promoted the replica {Seconds(promoted)} after the kill; queue calls through the LB " +
                (lastFailure is { } l ? $"failed until {l.TotalSeconds:0.0} s after it ({failedQueueCalls} failed probes, 2 s each)" : "never failed") +
                $"; a video created {created.TotalSeconds:0.0} s after the kill (on the promoted replica) finished ({done.Outcomes}) {Seconds(done.Finished)} after it; " +
                $"videos re-enqueued by the reconciler during the run (jobs lost by replication): {reEnqueued}";
        }, ct));
    }

    /// <summary>
    /// Fault 4: SSE clients hold streams through the load balancer on slow videos; api2 is stopped;
    /// HAProxy serves from api1, the clients reconnect; api2 starts again and rejoins.
    /// </summary>
    private async Task ApiStopsAsync(string host, CancellationToken ct)
    {
        await BothApisInServiceAsync(ct);
        await ConfigureFakeFalAsync("""{"queue":{"inProgress":"00:00:12"}}""", ct);
        var watchers = new List<SseWatcher>();
        for (var i = 0; i < options.SseClients; i++)
        {
            watchers.Add(new SseWatcher(_lb, _clock, await _submitter.CreateOneAsync(ct)));
        }
        var streams = watchers.Select(w => w.RunAsync(TimeSpan.FromMinutes(4), ct)).ToList();
        await Task.WhenAny(Task.WhenAll(watchers.Select(w => w.Connected)), Task.Delay(TimeSpan.FromSeconds(20), ct));
        await ConfigureFakeFalAsync("""{"queue":{"inProgress":"00:00:02"}}""", ct);
        var onHost = watchers.Count(w => w.ServedBy.LastOrDefault() == host);
        var at = _clock.Now;
        await _faults.RunAsync("stop-api", host, ct);
        var failed = 0;
        TimeSpan? lastFailure = null;
        while (_clock.Now - at < TimeSpan.FromSeconds(15))
        {
            var (status, _) = await _lb.ProbeAsync("/api/videos?limit=1", ct);
            if (status != 200)
            {
                failed++;
                lastFailure = _clock.Now - at;
            }
            await Task.Delay(100, ct);
        }
        var restartAt = _clock.Now;
        await _faults.RunAsync("start-api", host, ct);
        var ready = _clock.Now - restartAt;
        TimeSpan? rejoined = null;
        while (_clock.Now - restartAt < TimeSpan.FromSeconds(60))
        {
            if ((await _lb.ProbeAsync("/api/videos?limit=1", ct)).ServedBy == host)
            {
                rejoined = _clock.Now - restartAt;
                break;
            }
            await Task.Delay(100, ct);
        }
        await Task.WhenAll(streams);
        _ledger.SseStreams = watchers.Count;
        _ledger.SseReconnects = watchers.Sum(w => w.Reconnects);
        _ledger.SseEndedWithoutTerminal = watchers.Count(w => !w.SawTerminal);
        var gap = watchers.Count == 0 ? TimeSpan.Zero : watchers.Max(w => w.LongestGap);
        _ledger.Heals[$"{host} stopped (SIGKILL) with {onHost} of {watchers.Count} SSE streams on it"] =
            $"requests through the LB: {failed} failed in the 15 s after the stop" + (lastFailure is { } l ? $", the last {l.TotalSeconds:0.0} s after it" : "") +
            $"; SSE: {_ledger.SseReconnects} reconnects, longest gap {gap.TotalSeconds:0.0} s, {watchers.Count(w => w.SawTerminal)} of {watchers.Count} saw their video finish; " +
            $"{host} restarted (ready in {ready.TotalSeconds:0.0} s), served by the LB again {Seconds(rejoined)} after the restart";
    }
}
