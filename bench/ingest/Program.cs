using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VideoGen.Bench.Ingest;
using VideoGen.Core.Media;

// Ingest throughput in isolation: N ingests of a real MP4 served from loopback, C at a time,
// through the real VideoIngestor (guarded download, ffprobe, poster, store). One JSON line per
// concurrency on stdout; progress on stderr.
var settings = Settings.FromEnvironment();
using var deadline = new CancellationTokenSource(settings.Timeout);
var ct = deadline.Token;
await using var server = await ClipServer.StartAsync(settings, ct);
var root = Path.Combine(Path.GetTempPath(), $"videogen-ingest-bench-{Environment.ProcessId}");
using var phases = new PhaseRecorder();
try
{
    var store = new LocalFolderMediaStore(root);
    var runner = settings.ProcessSlots is { } slots ? new ProcessRunner(slots) : new ProcessRunner();
    // VideoGen__Ingest__* and VideoGen__Ffmpeg__* environment variables tune the ingestor as in videogen
    // (keys a baseline build does not know are ignored).
    var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    var ffmpegOptions = new FfmpegOptions();
    config.GetSection("VideoGen:Ffmpeg").Bind(ffmpegOptions);
    var ingestOptions = new IngestOptions();
    config.GetSection("VideoGen:Ingest").Bind(ingestOptions);
    ingestOptions.AllowLoopbackHttp = true;
    var tools = new MediaTools(runner, Options.Create(ffmpegOptions));
    using var ingestor = new VideoIngestor(
        store,
        tools,
        Options.Create(ingestOptions),
        NullLogger<VideoIngestor>.Instance);

    foreach (var concurrency in settings.Concurrency)
    {
        await RunAsync(ingestor, "warmup", settings.Warmup, Math.Min(concurrency, settings.Warmup), ct);
        phases.TakeSplit();
        var (cpuSelf0, cpuChildren0) = Stats.Cpu();
        var load = Stats.LoadAverage();
        var (elapsed, latencies, failures) = await RunAsync(ingestor, $"c{concurrency}", settings.Videos, concurrency, ct);
        var (cpuSelf1, cpuChildren1) = Stats.Cpu();
        var ok = latencies.Count;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "ingest",
            label = settings.Label,
            clip = settings.ClipName,
            clip_bytes = server.Clip.Length,
            videos = settings.Videos,
            concurrency,
            process_slots = settings.ProcessSlots?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default",
            cores = Environment.ProcessorCount,
            seconds = Math.Round(elapsed.TotalSeconds, 2),
            videos_per_s = Math.Round(ok / elapsed.TotalSeconds, 2),
            p50_ms = Math.Round(Stats.Percentile(latencies, 0.50), 0),
            p99_ms = Math.Round(Stats.Percentile(latencies, 0.99), 0),
            failures,
            cpu_ms_per_video = new
            {
                bench_process = Math.Round((cpuSelf1 - cpuSelf0).TotalMilliseconds / settings.Videos, 1),
                ffmpeg_ffprobe = Math.Round((cpuChildren1 - cpuChildren0).TotalMilliseconds / settings.Videos, 1),
            },
            split = phases.TakeSplit(),
            load_avg_at_start = load,
        }));
    }
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (DirectoryNotFoundException)
    {
    }
}

async Task<(TimeSpan Elapsed, List<double> Latencies, int Failures)> RunAsync(VideoIngestor ingestor, string name, int videos, int concurrency, CancellationToken token)
{
    var latencies = new List<double>(videos);
    var failures = 0;
    var started = Stopwatch.GetTimestamp();
    await Parallel.ForEachAsync(
        Enumerable.Range(0, videos),
        new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = token },
        async (i, c) =>
        {
            var t = Stopwatch.GetTimestamp();
            try
            {
                var media = await ingestor.IngestAsync($"{name}-{i}", server.Url, c);
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                }
            }
            catch (IngestException ex)
            {
                Interlocked.Increment(ref failures);
                await Console.Error.WriteLineAsync($"{name}-{i}: {ex.ErrorType}: {ex.Message}");
            }
        });
    var elapsed = Stopwatch.GetElapsedTime(started);
    await Console.Error.WriteLineAsync($"[ingest] {settings.Label} {name}: {videos} in {elapsed.TotalSeconds:0.0} s ({failures} failed)");
    foreach (var dir in new[] { "videos", "posters" })
    {
        var path = Path.Combine(root, dir);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
    return (elapsed, latencies, failures);
}
