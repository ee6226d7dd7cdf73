using System.Text.RegularExpressions;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// The built <c>videogen</c> (<c>serve</c> or <c>worker</c>) as a real process, configured for fal at a
/// FakeFal: dummy key, FakeFal's base and JWKS URLs, loopback allowed (http to 127.0.0.1 for the
/// provider and for ingest). <c>serve</c> listens on a port chosen before start so its own URL can
/// be its <c>VideoGen:PublicBaseUrl</c> (the webhook path).
/// </summary>
public sealed partial class VideoGenProcess : IAsyncDisposable
{
    public const string DummyFalKey = "fakefal-test-key:not-a-secret";

    private VideoGenProcess(ChildProcess process, Uri? baseUrl)
    {
        Process = process;
        BaseUrl = baseUrl;
        Http = baseUrl is null ? null : new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ChildProcess Process { get; }

    /// <summary>Null for a worker (no listener).</summary>
    public Uri? BaseUrl { get; }

    public HttpClient? Http { get; }

    /// <summary>Common settings for a process that talks to <paramref name="fakeFal"/>; <paramref name="extra"/> wins.</summary>
    public static List<string> FalArgs(string dataDir, FakeFalProcess fakeFal, IEnumerable<string> extra) =>
    [
        $"--VideoGen:DataDir={dataDir}",
        $"--VideoGen:Providers:Fal:Key={DummyFalKey}",
        $"--VideoGen:Providers:Fal:BaseUrl={fakeFal.BaseUrl.AbsoluteUri.TrimEnd('/')}",
        $"--VideoGen:Providers:Fal:JwksUrl={fakeFal.JwksUrl.AbsoluteUri}",
        "--VideoGen:Providers:Fal:AllowLoopback=true",
        "--VideoGen:Ingest:AllowLoopbackHttp=true",
        "--VideoGen:Pipeline:PollInterval=00:00:00.250",
        "--VideoGen:Pipeline:MaxPollInterval=00:00:01",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:VideoGen=Information",
        .. extra,
    ];

    /// <summary>
    /// <c>videogen serve</c> on a free port. With <paramref name="webhooks"/>, its own URL is its
    /// <c>VideoGen:PublicBaseUrl</c>, so fal (FakeFal) is asked to call <c>/webhooks/fal</c>.
    /// </summary>
    public static async Task<VideoGenProcess> ServeAsync(string dataDir, FakeFalProcess fakeFal, bool webhooks, params string[] extra)
    {
        var url = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}");
        var args = new List<string> { "serve", "--urls", url.AbsoluteUri.TrimEnd('/') };
        args.AddRange(FalArgs(dataDir, fakeFal, webhooks ? [$"--VideoGen:PublicBaseUrl={url.AbsoluteUri.TrimEnd('/')}", .. extra] : extra));
        var process = ChildProcess.Start("videogen serve", RepoPaths.VideoGenDll, args);
        try
        {
            await process.WaitForLineAsync(ReadyLine(), TimeSpan.FromSeconds(90), "'VideoGen ready at'");
            return new VideoGenProcess(process, url);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>videogen worker</c> sharing <paramref name="dataDir"/> (database and SQLite queue) with a serve process.</summary>
    public static async Task<VideoGenProcess> WorkerAsync(string dataDir, FakeFalProcess fakeFal, params string[] extra)
    {
        var args = new List<string> { "worker" };
        args.AddRange(FalArgs(dataDir, fakeFal, extra));
        var process = ChildProcess.Start("videogen worker", RepoPaths.VideoGenDll, args);
        try
        {
            await process.WaitForLineAsync(WorkerReadyLine(), TimeSpan.FromSeconds(90), "'VideoGen worker ready'");
            return new VideoGenProcess(process, null);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        await Process.DisposeAsync();
    }

    [GeneratedRegex(@"VideoGen ready at http://")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"VideoGen worker ready")]
    private static partial Regex WorkerReadyLine();
}
