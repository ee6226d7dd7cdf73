using System.Text.RegularExpressions;

namespace ClusterDriver;

/// <summary>What the processes' logs say happened, counted per log file (by the lines the product writes).</summary>
public sealed partial class LogCounts
{
    public int CompletionsRefused { get; private init; }

    public int LeasesLost { get; private init; }

    public int RowWritesRefused { get; private init; }

    public int JobsRecovered { get; private init; }

    public int ReEnqueued { get; private init; }

    public int OutcomesNotRecorded { get; private init; }

    /// <summary>Counts in the log files of <paramref name="names"/> (e.g. "worker2" reads worker2.log) under <paramref name="dir"/>.</summary>
    public static LogCounts Read(string dir, params string[] names)
    {
        var text = string.Join('\n', names
            .SelectMany(n => Directory.Exists(dir) ? Directory.GetFiles(dir, n + "*.log") : [])
            .Select(File.ReadAllText));
        return new LogCounts
        {
            CompletionsRefused = CompletionRefused().Count(text),
            LeasesLost = LeaseLost().Count(text),
            RowWritesRefused = RowChanged().Count(text),
            JobsRecovered = Recovered().Matches(text).Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)),
            ReEnqueued = ReEnqueuedLine().Count(text),
            OutcomesNotRecorded = NotRecorded().Count(text),
        };
    }

    [GeneratedRegex(@"completion of job \S+ refused, its lease was lost")]
    private static partial Regex CompletionRefused();

    [GeneratedRegex(@"lease of job \S+ lost; stopping its handler")]
    private static partial Regex LeaseLost();

    [GeneratedRegex(@"another run or process changed the row")]
    private static partial Regex RowChanged();

    [GeneratedRegex(@"recovered (\d+) jobs with expired leases")]
    private static partial Regex Recovered();

    [GeneratedRegex(@"could not record the outcome of job \S+")]
    private static partial Regex NotRecorded();

    [GeneratedRegex(@"Re-enqueued video \S+")]
    private static partial Regex ReEnqueuedLine();
}
