using System.Globalization;

namespace VideoGen.Testing.Chaos;

public sealed partial class ChaosRun
{
    /// <summary>The webhook URL secret every process shares (the API checks what the workers signed).</summary>
    private const string WebhookSecret = "chaos-run-webhook-secret-0123456789abcdef";

    private async Task StartAsync()
    {
        _redis = await RedisServer.StartAsync(Ct);
        _fakeFal = await FakeFalProcess.StartAsync(
            ("Queue:Slots", "5000"),
            ("Queue:QueueDelay", "00:00:00.300"),
            ("Queue:InProgress", "00:00:02"),
            ("Queue:LogInterval", "00:00:01"),
            // fal retries webhooks for hours; enough attempts here to outlast an API restart.
            ("Webhooks:MaxAttempts", "8"),
            ("Webhooks:RetryDelay", "00:00:00.500"));
        await _fakeFal.ConfigureAsync(_o.Faults);
        _api = await StartApiAsync();
        _client = new ChaosApi(_apiUrl);
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = Task.FromResult(await VideoGenProcess.WorkerWithAsync(_dir.Path, WorkerSettings()));
        }
    }

    /// <summary>Settings every process of the run shares: Redis, PostgreSQL, FakeFal, short leases and reconcile passes.</summary>
    private List<string> SharedSettings() =>
    [
        $"--VideoGen:DataDir={_dir.Path}",
        "--VideoGen:Queue:Backend=redis",
        $"--ConnectionStrings:Redis={_redis!.Endpoint}",
        $"--VideoGen:Queue:Name={_queueName}",
        "--VideoGen:Queue:MaxAttempts=30",
        "--VideoGen:Queue:ReconcileInterval=00:00:02",
        "--VideoGen:Database:Provider=postgres",
        $"--ConnectionStrings:Postgres={_o.PostgresConnection}",
        $"--VideoGen:Webhooks:Secret={WebhookSecret}",
        $"--VideoGen:Providers:Fal:Key={VideoGenProcess.DummyFalKey}",
        $"--VideoGen:Providers:Fal:BaseUrl={_fakeFal!.BaseUrl.AbsoluteUri.TrimEnd('/')}",
        $"--VideoGen:Providers:Fal:JwksUrl={_fakeFal.JwksUrl.AbsoluteUri}",
        "--VideoGen:Providers:Fal:AllowLoopback=true",
        "--VideoGen:Ingest:AllowLoopbackHttp=true",
        "--VideoGen:Pipeline:PollInterval=00:00:00.500",
        "--VideoGen:Pipeline:MaxPollInterval=00:00:02",
        "--VideoGen:Pipeline:Deadline=00:10:00",
        // A lost submit is resolved by a webhook, FakeFal's request list, or (neither) one resubmit after the window.
        // FakeFal ends a request within seconds and delivers, retries or drops its webhook within seconds more, so a
        // 90 s window here stands for production's deadline + fal's 2 h of webhook retries; the ledger's "submitted
        // twice" line checks that it is long enough.
        $"--VideoGen:Providers:Fal:PlatformBaseUrl={_fakeFal.BaseUrl.AbsoluteUri.TrimEnd('/')}/v1",
        "--VideoGen:Pipeline:SubmitUnconfirmedWindow=00:01:30",
        "--VideoGen:Pipeline:SubmitUnconfirmedRecheckInterval=00:00:05",
        // FakeFal loses some webhooks on purpose; the parked job's backstop status check finds those videos.
        "--VideoGen:Pipeline:WebhookBackstopInterval=00:00:15",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:VideoGen=Warning",
        .. _o.Webhooks ? [$"--VideoGen:PublicBaseUrl={_apiUrl.AbsoluteUri.TrimEnd('/')}"] : Array.Empty<string>(),
    ];

    private List<string> WorkerSettings() =>
    [
        .. SharedSettings(),
        string.Create(CultureInfo.InvariantCulture, $"--VideoGen:Workers:Concurrency={_o.WorkerConcurrency}"),
        "--VideoGen:Workers:LeaseDuration=00:00:05",
        "--VideoGen:Workers:HeartbeatInterval=00:00:01",
        "--VideoGen:Workers:RecoveryInterval=00:00:01",
        "--VideoGen:Workers:IdleWaitCeiling=00:00:01",
    ];

    /// <summary>Starts <c>serve</c> (API only) on the run's fixed address; up to 5 tries, as the killed one's port may linger or a start may be slow.</summary>
    private async Task<VideoGenProcess> StartApiAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await VideoGenProcess.ServeOnAsync(_apiUrl, _dir.Path, [.. SharedSettings(), "--VideoGen:Workers:Enabled=false"]);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException && attempt < 5)
            {
                // Exited (the old port still held) or not ready within 90 s on a starved machine: killed; again.
                _actions.Add($"{Elapsed} API start {attempt} failed ({e.GetType().Name}), starting it again");
                await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            }
        }
    }

    private async Task KillWorkerAsync(string why)
    {
        // A running worker is preferred; one still starting after its last kill is waited for (its ready line, at most 90 s).
        var ready = Enumerable.Range(0, _workers.Length).Where(w => _workers[w]!.IsCompletedSuccessfully).ToArray();
        var i = ready.Length > 0 ? ready[_random.Next(ready.Length)] : _random.Next(_workers.Length);
        var worker = await _workers[i]!;
        await worker.Process.KillAsync();
        await worker.DisposeAsync();
        _actions.Add($"{Elapsed} kill worker {i + 1} ({why})");
        // Started again in the background: the next action does not wait for it (on a busy machine a start takes seconds).
        _workers[i] = VideoGenProcess.WorkerWithAsync(_dir.Path, WorkerSettings());
    }

    private async Task KillApiAsync()
    {
        await _api!.Process.KillAsync();
        await _api.DisposeAsync();
        _api = null;
        _actions.Add($"{Elapsed} kill API");
        _api = await StartApiAsync();
    }

    private async Task RestartRedisAsync()
    {
        await _redis!.RestartAsync(Ct);
        _actions.Add($"{Elapsed} Redis killed and restarted (AOF kept)");
    }

    private async Task LoseQueueAsync()
    {
        if (_o.QueueLoss == QueueLoss.FlushAll)
        {
            await _redis!.FlushAllAsync(Ct);
            _actions.Add($"{Elapsed} FLUSHALL");
        }
        else
        {
            await _redis!.RestartEmptyAsync(Ct);
            _actions.Add($"{Elapsed} Redis restarted with its data files deleted");
        }
    }
}
