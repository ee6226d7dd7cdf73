using System.Globalization;

namespace VideoGen.Bench.Ingest;

/// <summary>Benchmark knobs, from environment variables (run.sh documents them).</summary>
internal sealed record Settings(
    int Videos,
    IReadOnlyList<int> Concurrency,
    int Warmup,
    int Width,
    int Height,
    int Seconds,
    int? ProcessSlots,
    TimeSpan Timeout,
    string Label)
{
    public static Settings FromEnvironment()
    {
        var clip = Env("INGEST_CLIP") ?? "640x360-2s";
        var parts = clip.Split('x', '-', 's');
        return new(
            Int("INGEST_VIDEOS", 200),
            (Env("INGEST_CONCURRENCY") ?? "8,200").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(),
            Int("INGEST_WARMUP", 8),
            int.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture),
            Env("INGEST_PROCESS_SLOTS") is { } slots ? int.Parse(slots, CultureInfo.InvariantCulture) : null,
            TimeSpan.FromSeconds(Int("INGEST_TIMEOUT_SECONDS", 300)),
            Env("INGEST_LABEL") ?? "current");
    }

    public string ClipName => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}-{Seconds}s");

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

    private static int Int(string name, int fallback) => Env(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
