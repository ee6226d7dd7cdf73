using System.Globalization;

namespace VideoGen.Bench.Ingest;

internal static class Stats
{
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    /// <summary>CPU used by this process and by its reaped children (ffmpeg, ffprobe), from /proc/self/stat.</summary>
    public static (TimeSpan Self, TimeSpan Children) Cpu()
    {
        var self = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 16 and 17 (cutime, cstime) in clock ticks; after the ")" they are at index 13 and 14.
        var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        return (self, TimeSpan.FromSeconds(ticks / 100.0));
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
