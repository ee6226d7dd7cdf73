using System.Text.RegularExpressions;

namespace VideoGen.Testing;

/// <summary>
/// The built <c>videogen</c> as a real process: <c>serve</c> (waits for "VideoGen ready at", reads
/// its URL from that line), <c>worker</c> (waits for "VideoGen worker ready"), or any verb run to
/// its exit (<see cref="RunAsync"/>). Two configurations: the local preview provider with short
/// delays (<see cref="ServeLocalAsync"/>), or fal at a <see cref="FakeFalProcess"/> (dummy key,
/// FakeFal's base and JWKS URLs, loopback allowed for the provider and for ingest). Killed (whole
/// tree) on dispose, with the DataDir it made for itself.
/// </summary>
public sealed partial class VideoGenProcess : IAsyncDisposable
{
    public const string DummyFalKey = "fakefal-test-key:not-a-secret";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Uri? _baseUrl;
    private readonly HttpClient? _http;
    private readonly TempDir? _ownDir;

    private VideoGenProcess(ChildProcess process, Uri? baseUrl, string dataDir, TempDir? ownDir)
    {
        Process = process;
        _baseUrl = baseUrl;
        _http = baseUrl is null ? null : new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        DataDir = dataDir;
        _ownDir = ownDir;
    }

    public ChildProcess Process { get; }

    /// <summary>Where <c>serve</c> listens; a worker listens nowhere and throws.</summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException($"{Process.Name} listens on no port.");

    /// <summary>A client of <see cref="BaseUrl"/>; a worker has none and throws.</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException($"{Process.Name} listens on no port.");

    /// <summary>The app database, queue and media folder (<c>VideoGen:DataDir</c>).</summary>
    public string DataDir { get; }

    /// <summary>Everything kept of the process's output, for failure messages.</summary>
    public string Log => Process.Output;

    /// <summary>
    /// <c>videogen serve</c> with the local preview provider (short queue and render times, fast
    /// polling) on a free port with a DataDir of its own; <paramref name="extra"/> wins.
    /// </summary>
    public static Task<VideoGenProcess> ServeLocalAsync(params string[] extra)
    {
        var dir = new TempDir("videogen-proc");
        return StartServeAsync(new Uri("http://127.0.0.1:0"), dir.Path, [.. LocalArgs(dir.Path), .. extra], dir);
    }

    /// <summary><c>videogen worker</c> with the local preview provider, sharing <paramref name="dataDir"/> (app database and queue) with a server.</summary>
    public static Task<VideoGenProcess> WorkerLocalAsync(string dataDir, params string[] extra) =>
        StartWorkerAsync(dataDir, [.. LocalArgs(dataDir), .. extra]);

    /// <summary>Common settings for a process that talks to <paramref name="fakeFal"/>; <paramref name="extra"/> wins.</summary>
    public static List<string> FalArgs(string dataDir, FakeFalProcess fakeFal, IEnumerable<string> extra) =>
    [
        $"--VideoGen:DataDir={dataDir}",
        $"--VideoGen:Providers:Fal:Key={DummyFalKey}",
        $"--VideoGen:Providers:Fal:BaseUrl={fakeFal.BaseUrl.AbsoluteUri.TrimEnd('/')}",
        $"--VideoGen:Providers:Fal:JwksUrl={fakeFal.JwksUrl.AbsoluteUri}",
        // FakeFal also serves fal's platform API (the request list that resolves a lost submit).
        $"--VideoGen:Providers:Fal:PlatformBaseUrl={fakeFal.BaseUrl.AbsoluteUri.TrimEnd('/')}/v1",
        "--VideoGen:Providers:Fal:AllowLoopback=true",
        "--VideoGen:Ingest:AllowLoopbackHttp=true",
        "--VideoGen:Pipeline:PollInterval=00:00:00.250",
        "--VideoGen:Pipeline:MaxPollInterval=00:00:01",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:VideoGen=Information",
        .. extra,
    ];

    /// <summary>
    /// <c>videogen serve</c> for fal at <paramref name="fakeFal"/> on a port chosen before start. With
    /// <paramref name="webhooks"/>, its own URL is its <c>VideoGen:PublicBaseUrl</c>, so fal (FakeFal)
    /// is asked to call <c>/webhooks/fal</c>.
    /// </summary>
    public static Task<VideoGenProcess> ServeAsync(string dataDir, FakeFalProcess fakeFal, bool webhooks, params string[] extra)
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        return StartServeAsync(url, dataDir, FalArgs(dataDir, fakeFal, webhooks ? [$"--VideoGen:PublicBaseUrl={url.AbsoluteUri.TrimEnd('/')}", .. extra] : extra), ownDir: null);
    }

    /// <summary><c>videogen worker</c> for fal at <paramref name="fakeFal"/>, sharing <paramref name="dataDir"/> (database and SQLite queue) with a serve process.</summary>
    public static Task<VideoGenProcess> WorkerAsync(string dataDir, FakeFalProcess fakeFal, params string[] extra) =>
        StartWorkerAsync(dataDir, FalArgs(dataDir, fakeFal, extra));

    /// <summary>Runs the built videogen with <paramref name="args"/> to its exit (CLI verbs).</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] args) =>
        ChildProcess.RunAsync($"videogen {string.Join(' ', args)}", RepoPaths.VideoGenDll, args, timeout);

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await Process.DisposeAsync();
        _ownDir?.Dispose();
    }

    private static string[] LocalArgs(string dataDir) =>
    [
        $"--VideoGen:DataDir={dataDir}",
        "--VideoGen:Providers:Local:QueueDelay=00:00:00.500",
        "--VideoGen:Providers:Local:MinRenderTime=00:00:01",
        "--VideoGen:Pipeline:PollInterval=00:00:00.200",
        "--VideoGen:Pipeline:MaxPollInterval=00:00:01",
    ];

    private static async Task<VideoGenProcess> StartServeAsync(Uri url, string dataDir, IEnumerable<string> settings, TempDir? ownDir)
    {
        var process = ChildProcess.Start("videogen serve", RepoPaths.VideoGenDll, ["serve", "--urls", url.AbsoluteUri.TrimEnd('/'), .. settings]);
        try
        {
            var ready = await process.WaitForLineAsync(ReadyLine(), ReadyTimeout, "'VideoGen ready at'");
            return new VideoGenProcess(process, new Uri(ready.Groups[1].Value), dataDir, ownDir);
        }
        catch
        {
            await process.DisposeAsync();
            ownDir?.Dispose();
            throw;
        }
    }

    private static async Task<VideoGenProcess> StartWorkerAsync(string dataDir, IEnumerable<string> settings)
    {
        var process = ChildProcess.Start("videogen worker", RepoPaths.VideoGenDll, ["worker", .. settings]);
        try
        {
            await process.WaitForLineAsync(WorkerReadyLine(), ReadyTimeout, "'VideoGen worker ready'");
            return new VideoGenProcess(process, null, dataDir, ownDir: null);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    [GeneratedRegex(@"VideoGen ready at (http://\S+)")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"VideoGen worker ready")]
    private static partial Regex WorkerReadyLine();
}
