using System.Globalization;
using System.Text.Json.Nodes;

namespace VideoGen.Bench.InFlight;

/// <summary>Benchmark knobs, from environment variables (run.sh documents them).</summary>
internal sealed record Settings(
    int Videos,
    int? Concurrency,
    TimeSpan Generation,
    TimeSpan QueueDelay,
    TimeSpan? PollInterval,
    TimeSpan? MaxPollInterval,
    int CreateParallelism,
    TimeSpan Timeout,
    TimeSpan? PlateauOnly,
    TimeSpan? FalAttemptTimeout,
    bool Webhooks,
    int? FakeFalSlots,
    string RepoRoot)
{
    public static Settings FromEnvironment() => new(
        Int("INFLIGHT_VIDEOS", 10_000),
        Env("INFLIGHT_CONCURRENCY") is "default" ? null : Int("INFLIGHT_CONCURRENCY", 10_000),
        TimeSpan.FromSeconds(Int("INFLIGHT_GENERATION_SECONDS", 30)),
        TimeSpan.FromSeconds(Int("INFLIGHT_QUEUE_DELAY_SECONDS", 60)),
        Env("INFLIGHT_POLL_INTERVAL") is { } p ? TimeSpan.Parse(p, CultureInfo.InvariantCulture) : null,
        Env("INFLIGHT_MAX_POLL_INTERVAL") is { } m ? TimeSpan.Parse(m, CultureInfo.InvariantCulture) : null,
        Int("INFLIGHT_CREATE_PARALLELISM", 16),
        TimeSpan.FromSeconds(Int("INFLIGHT_TIMEOUT_SECONDS", 1800)),
        Int("INFLIGHT_PLATEAU_ONLY_SECONDS", 0) is > 0 and var plateau ? TimeSpan.FromSeconds(plateau) : null,
        Env("INFLIGHT_FAL_ATTEMPT_TIMEOUT") is { } a ? TimeSpan.Parse(a, CultureInfo.InvariantCulture) : null,
        Env("INFLIGHT_WEBHOOKS") is "1" or "true",
        Env("INFLIGHT_FAKEFAL_SLOTS") is { } slots ? int.Parse(slots, CultureInfo.InvariantCulture) : null,
        Env("INFLIGHT_REPO") ?? FindRepoRoot());

    public string VideoGenDll => Path.Combine(RepoRoot, "src", "VideoGen.Server", "bin", "Release", "net10.0", "videogen.dll");

    public string FakeFalDll => Path.Combine(RepoRoot, "tools", "FakeFal", "bin", "Release", "net10.0", "FakeFal.dll");

    /// <summary>
    /// The worker's GC mode as it runs: <c>videogen.runtimeconfig.json</c>'s <c>System.GC.Server</c>, unless
    /// <c>DOTNET_gcServer</c> in this process's environment (which the children inherit) overrides it.
    /// </summary>
    public string WorkerGc()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(VideoGenDll, ".runtimeconfig.json")));
        var server = config?["runtimeOptions"]?["configProperties"]?["System.GC.Server"]?.GetValue<bool>() ?? false;
        var shipped = $"{(server ? "server" : "workstation")} (videogen.runtimeconfig.json)";
        return Env("DOTNET_gcServer") is { } overridden ? $"DOTNET_gcServer={overridden} from the environment over {shipped}" : shipped;
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static int Int(string name, int fallback) => Env(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VideoGen.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Run from inside the repository or set INFLIGHT_REPO.");
    }
}
