using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using VideoGen.Bench.InFlight;

// In-flight scale: one `videogen worker` (Workers:Concurrency, SQLite queue) holding many videos
// waiting at FakeFal. Videos are created through the HTTP API of a separate API-only
// `videogen serve` on the same DataDir, so the worker's resident memory is the pipeline's alone.
// Prints progress on stderr and one JSON line of figures on stdout.
var s = Settings.FromEnvironment();
var dataDir = Path.Combine(Path.GetTempPath(), $"videogen-inflight-{Guid.NewGuid():N}");
Directory.CreateDirectory(dataDir);
using var stop = new CancellationTokenSource(s.Timeout);
var ct = stop.Token;
void Log(string line) => Console.Error.WriteLine($"[inflight {TimeProvider.System.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {line}");

await using var fakeFal = Child.Start("FakeFal", s.FakeFalDll,
[
    "--urls", "http://127.0.0.1:0",
    "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
    $"--FakeFal:Queue:Slots={s.FakeFalSlots ?? s.Videos * 2}",
    $"--FakeFal:Queue:QueueDelay={s.QueueDelay:c}",
    $"--FakeFal:Queue:InProgress={s.Generation:c}",
    "--FakeFal:Retention:Window=04:00:00",
    "--FakeFal:Retention:LargeOutputWindow=04:00:00",
]);
var fakeFalUrl = (await fakeFal.WaitForLineAsync(new Regex(@"Now listening on: (http://127\.0\.0\.1:\d+)"), TimeSpan.FromSeconds(60))).Groups[1].Value;
Log($"FakeFal at {fakeFalUrl}");

string[] common =
[
    $"--VideoGen:DataDir={dataDir}",
    "--VideoGen:Providers:Fal:Key=inflight-bench-dummy-key",
    $"--VideoGen:Providers:Fal:BaseUrl={fakeFalUrl}",
    $"--VideoGen:Providers:Fal:JwksUrl={fakeFalUrl}/.well-known/jwks.json",
    "--VideoGen:Providers:Fal:AllowLoopback=true",
    "--VideoGen:Ingest:AllowLoopbackHttp=true",
    "--VideoGen:Pipeline:Deadline=02:00:00",
    .. s.FalAttemptTimeout is { } t ? [$"--VideoGen:Providers:Fal:AttemptTimeout={t:c}"] : Array.Empty<string>(),
    "--VideoGen:Queue:ReconcileInterval=00:10:00",
    "--Logging:LogLevel:Default=Warning",
    .. s.PollInterval is { } p ? [$"--VideoGen:Pipeline:PollInterval={p:c}"] : Array.Empty<string>(),
    .. s.MaxPollInterval is { } m ? [$"--VideoGen:Pipeline:MaxPollInterval={m:c}"] : Array.Empty<string>(),
];
var apiUrl = $"http://127.0.0.1:{Child.FreePort()}";
await using var api = Child.Start("videogen serve (API only)", s.VideoGenDll, ["serve", "--urls", apiUrl, "--VideoGen:Workers:Enabled=false", .. common]);
await api.WaitForLineAsync(new Regex("VideoGen ready at"), TimeSpan.FromSeconds(120));
// The worker runs as videogen ships: its GC mode is the one in videogen.runtimeconfig.json (reported below).
// With webhooks, the worker names the API process as fal's callback target (FakeFal delivers there) and parked jobs
// are promoted through the shared SQLite queue.
string[] workerArgs =
[
    "worker",
    .. s.Concurrency is { } concurrency ? [$"--VideoGen:Workers:Concurrency={concurrency}"] : Array.Empty<string>(),
    .. s.Webhooks ? [$"--VideoGen:PublicBaseUrl={apiUrl}"] : Array.Empty<string>(),
    .. common,
];
await using var worker = Child.Start("videogen worker", s.VideoGenDll, workerArgs);
await worker.WaitForLineAsync(new Regex("VideoGen worker ready"), TimeSpan.FromSeconds(120));
await Task.Delay(TimeSpan.FromSeconds(3), ct);
var (baselineKb, _) = worker.Memory();
var storeIdleBytes = StoreSize.Bytes(dataDir);
long storeAtPeakBytes = 0;
Log($"API at {apiUrl}, worker pid {worker.Pid} ready, idle RSS {baselineKb / 1024.0:0.0} MB");

using var fakeFalHttp = new HttpClient { BaseAddress = new Uri(fakeFalUrl), Timeout = TimeSpan.FromSeconds(30) };
using var apiHttp = new HttpClient { BaseAddress = new Uri(apiUrl), Timeout = TimeSpan.FromSeconds(60) };
var sampler = new Sampler(worker, fakeFalHttp, Path.Combine(dataDir, "videogen.db"));
var samples = new List<Sample>();
var clock = Stopwatch.StartNew();
using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
var sampleLoop = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        try
        {
            var sample = await sampler.TakeAsync(clock.Elapsed.TotalSeconds, sampling.Token);
            lock (samples)
            {
                if (samples.Count == 0 || sample.InFlightAtFakeFal >= samples.Max(x => x.InFlightAtFakeFal))
                {
                    storeAtPeakBytes = StoreSize.Bytes(dataDir);
                }
                samples.Add(sample);
            }
            if (samples.Count % 10 == 0)
            {
                Log($"t={sample.Seconds:0}s rss={sample.WorkerRssKb / 1024.0:0}MB inflight@fakefal={sample.InFlightAtFakeFal} rps10s={sample.FakeFalRpsLast10s:0} statuses={JsonSerializer.Serialize(sample.Statuses)}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), sampling.Token);
        }
        catch (OperationCanceledException) when (sampling.IsCancellationRequested)
        {
            break;
        }
        catch (Exception e) when (e is HttpRequestException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            Log($"sample skipped: {e.Message}");
        }
    }
}, CancellationToken.None);

// Create the videos through the API, a few requests at a time.
var created = 0;
var createFailures = 0;
try
{
    await Parallel.ForAsync(0, s.Videos, new ParallelOptions { MaxDegreeOfParallelism = s.CreateParallelism, CancellationToken = ct }, async (i, token) =>
{
    var body = JsonSerializer.Serialize(new { prompt = $"in-flight benchmark clip {i}", model = "fal-ai/kling-video/v2.1/standard/text-to-video" });
    for (var attempt = 0; attempt < 5; attempt++)
    {
        using var response = await apiHttp.PostAsync("/api/videos", new StringContent(body, Encoding.UTF8, "application/json"), token);
        if (response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref created);
            return;
        }
        await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), token);
    }
    Interlocked.Increment(ref createFailures);
});
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Log("timed out while creating videos");
}
var createSeconds = clock.Elapsed.TotalSeconds;
var creationDone = true;
Log($"created {created} videos in {createSeconds:0.0} s ({created / createSeconds:0} /s); {createFailures} refused");

// Wait until every video is terminal — or, in plateau-only mode, until all are in flight at
// FakeFal (none queued or submitting) and have been watched there for the given time (the memory and
// polling figures).
Sample? last = null;
double? plateauStartedAt = null;
while (!ct.IsCancellationRequested)
{
    lock (samples)
    {
        last = samples.Count > 0 ? samples[^1] : null;
    }
    if (last is not null && last.Terminal >= created)
    {
        break;
    }
    if (s.PlateauOnly is { } watch && last is not null && creationDone && last.Count("queued") + last.Count("submitting") == 0)
    {
        plateauStartedAt ??= last.Seconds;
        if (last.Seconds - plateauStartedAt >= watch.TotalSeconds)
        {
            Log($"plateau watched for {watch.TotalSeconds:0} s; stopping before ingest (INFLIGHT_PLATEAU_ONLY_SECONDS)");
            break;
        }
    }
    try
    {
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
    }
    catch (OperationCanceledException)
    {
        break;
    }
}
var allDoneSeconds = clock.Elapsed.TotalSeconds;
await sampling.CancelAsync();
await sampleLoop;
using var finalStats = JsonDocument.Parse(await fakeFalHttp.GetStringAsync("/_fake/stats?requests=false", CancellationToken.None));
var latency = await CompletionLatency.MeasureAsync(Path.Combine(dataDir, "videogen.db"), fakeFalHttp, CancellationToken.None);
Log($"completion -> succeeded: {latency.Count} videos, p50 {latency.P50Ms:0} ms, p99 {latency.P99Ms:0} ms");

Sample[] all;
lock (samples)
{
    all = [.. samples];
}
var peakInFlight = all.Length == 0 ? 0 : all.Max(x => x.InFlightAtFakeFal);
var plateau = all.Where(x => x.InFlightAtFakeFal >= 0.9 * peakInFlight && peakInFlight > 0).ToArray();
var rssAtPlateauKb = plateau.Length == 0 ? 0 : plateau.Max(x => x.WorkerRssKb);
var maxRssKb = all.Length == 0 ? 0 : all.Max(x => x.WorkerRssKb);
var hwmKb = all.Length == 0 ? 0 : all.Max(x => x.WorkerHwmKb);
// The 10 s window right after the first submits holds the 1 s first polls; the steady rate is the plateau's later half.
var steady = plateau.Skip(plateau.Length / 2).ToArray();
var submissions = finalStats.RootElement.GetProperty("submissions");
var calls = finalStats.RootElement.GetProperty("calls");
var finalStatuses = last?.Statuses ?? new Dictionary<string, int>();
var result = new
{
    benchmark = "inflight",
    videos = s.Videos,
    created,
    create_refused = createFailures,
    worker_concurrency = s.Concurrency?.ToString(CultureInfo.InvariantCulture) ?? "default (4)",
    webhooks = s.Webhooks,
    fakefal_slots = s.FakeFalSlots ?? s.Videos * 2,
    queue_backend = "sqlite",
    worker_gc = s.WorkerGc(),
    fakefal_generation_s = s.Generation.TotalSeconds,
    fakefal_queue_delay_s = s.QueueDelay.TotalSeconds,
    poll_interval = s.PollInterval?.ToString("c", CultureInfo.InvariantCulture) ?? "default (00:00:01)",
    max_poll_interval = s.MaxPollInterval?.ToString("c", CultureInfo.InvariantCulture) ?? "default (00:00:15)",
    create_seconds = Math.Round(createSeconds, 1),
    create_per_second = Math.Round(created / createSeconds, 0),
    peak_in_flight_at_fakefal = peakInFlight,
    plateau_seconds = plateau.Length,
    worker_rss_idle_mb = Math.Round(baselineKb / 1024.0, 1),
    worker_rss_at_peak_in_flight_mb = Math.Round(rssAtPlateauKb / 1024.0, 1),
    worker_rss_max_mb = Math.Round(maxRssKb / 1024.0, 1),
    worker_vmhwm_mb = Math.Round(hwmKb / 1024.0, 1),
    memory_per_in_flight_job_kb = peakInFlight == 0 ? 0 : Math.Round((rssAtPlateauKb - baselineKb) / (double)peakInFlight, 1),
    fakefal_rps_steady_last10s_avg = steady.Length == 0 ? 0 : Math.Round(steady.Average(x => x.FakeFalRpsLast10s), 1),
    fakefal_rps_plateau_last10s_max = plateau.Length == 0 ? 0 : Math.Round(plateau.Max(x => x.FakeFalRpsLast10s), 1),
    fakefal_rps_peak_1s = all.Length == 0 ? 0 : all.Max(x => x.FakeFalPeak1s),
    fakefal_rps_run_average = finalStats.RootElement.GetProperty("requests_per_second").GetProperty("average").GetDouble(),
    fakefal_status_calls = calls.GetProperty("status").GetInt32(),
    store_idle_mb = Math.Round(storeIdleBytes / 1048576.0, 1),
    store_at_peak_in_flight_mb = Math.Round(storeAtPeakBytes / 1048576.0, 1),
    store_per_in_flight_video_bytes = peakInFlight == 0 ? 0 : Math.Round((storeAtPeakBytes - storeIdleBytes) / (double)peakInFlight, 0),
    completion_to_succeeded_videos = latency.Count,
    completion_to_succeeded_p50_ms = Math.Round(latency.P50Ms, 0),
    completion_to_succeeded_p99_ms = Math.Round(latency.P99Ms, 0),
    fakefal_submissions = submissions.GetProperty("total").GetInt32(),
    fakefal_duplicate_idempotency_keys = submissions.GetProperty("duplicate_idempotency_keys").GetArrayLength(),
    plateau_only = s.PlateauOnly is not null,
    seconds_until_all_terminal = last is not null && last.Terminal >= created ? Math.Round(allDoneSeconds, 1) : (double?)null,
    succeeded = finalStatuses.GetValueOrDefault("succeeded"),
    failed = finalStatuses.GetValueOrDefault("failed"),
    fal_attempt_timeout = s.FalAttemptTimeout?.ToString("c", CultureInfo.InvariantCulture) ?? "default (00:00:30)",
    in_flight_in_worker_at_end = last is null ? 0 : last.Count("in_queue") + last.Count("generating"),
    unfinished = created - (last?.Terminal ?? 0),
    timed_out = ct.IsCancellationRequested,
};
Console.Out.WriteLine(JsonSerializer.Serialize(result));
try
{
    Directory.Delete(dataDir, recursive: true);
}
catch (IOException)
{
}
return (result.unfinished == 0 || result.plateau_only) && result.failed == 0 && !result.timed_out ? 0 : 1;
