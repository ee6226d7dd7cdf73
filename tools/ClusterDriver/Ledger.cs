using System.Text;
using System.Text.Json;

namespace ClusterDriver;

/// <summary>The outcome of a run: counts (some must be zero) and how long each fault took to heal.</summary>
public sealed class Ledger
{
    public int Videos { get; set; }

    public int Accepted { get; set; }

    public int Acknowledged { get; set; }

    public Dictionary<string, int> CreatesRefused { get; set; } = [];

    public int Succeeded { get; set; }

    public Dictionary<string, int> FailedByReason { get; set; } = [];

    public int Canceled { get; set; }

    public int FakeFalSubmissions { get; set; }

    public int SubmittedTwice { get; set; }

    /// <summary>Failed videos FakeFal nevertheless accepted a submission for (paid, no video).</summary>
    public int FailedButSubmitted { get; set; }

    public int Lost { get; set; }

    public int Stuck { get; set; }

    public int MediaCheckedPerHost { get; set; }

    public int UnplayableApi1 { get; set; }

    public int UnplayableApi2 { get; set; }

    public int HostsDisagree { get; set; }

    public int ServedFromObjectStore { get; set; }

    public int SseStreams { get; set; }

    public int SseReconnects { get; set; }

    public int SseEndedWithoutTerminal { get; set; }

    public List<string> UnplayableExamples { get; set; } = [];

    /// <summary>Fault → what healed and when (seconds after the fault).</summary>
    public Dictionary<string, string> Heals { get; set; } = [];

    public List<string> Timeline { get; set; } = [];

    public double RunSeconds { get; set; }

    /// <summary>The lines that must be zero, with their values.</summary>
    public IReadOnlyList<(string Line, int Value)> MustBeZero =>
    [
        ("submitted twice", SubmittedTwice),
        ("lost", Lost),
        ("stuck", Stuck),
        ("unplayable through api1", UnplayableApi1),
        ("unplayable through api2", UnplayableApi2),
        ("hosts answering different bytes", HostsDisagree),
        ("SSE streams ended without the terminal event", SseEndedWithoutTerminal),
    ];

    public bool AllMustBeZeroAreZero => MustBeZero.All(m => m.Value == 0);

    public string Render()
    {
        var s = new StringBuilder();
        s.AppendLine($"== cluster ledger: {Videos} videos, {RunSeconds:0} s ==");
        Row(s, "accepted (video rows)", Accepted);
        Row(s, "  acknowledged to the driver (202)", Acknowledged);
        Row(s, "  create attempts refused, retried", CreatesRefused.Values.Sum(), Reasons(CreatesRefused));
        Row(s, "succeeded", Succeeded);
        Row(s, "failed", FailedByReason.Values.Sum(), Reasons(FailedByReason));
        Row(s, "canceled", Canceled);
        Row(s, "FakeFal submissions", FakeFalSubmissions);
        Row(s, "  failed videos FakeFal had accepted", FailedButSubmitted, "(paid for, no video)");
        Row(s, "submitted twice", SubmittedTwice, "must be 0");
        Row(s, "lost", Lost, "must be 0");
        Row(s, "stuck", Stuck, "must be 0");
        Row(s, "media checked through each API host", MediaCheckedPerHost, $"{ServedFromObjectStore} reads redirected to the object store");
        Row(s, "  unplayable through api1", UnplayableApi1, "must be 0");
        Row(s, "  unplayable through api2", UnplayableApi2, "must be 0");
        Row(s, "  hosts answering different bytes", HostsDisagree, "must be 0");
        Row(s, "SSE streams held through the LB", SseStreams);
        Row(s, "  reconnects", SseReconnects);
        Row(s, "  ended without the terminal event", SseEndedWithoutTerminal, "must be 0");
        foreach (var example in UnplayableExamples.Take(5))
        {
            s.AppendLine("    e.g. " + example);
        }
        s.AppendLine("-- faults: time to heal --");
        foreach (var (fault, heal) in Heals)
        {
            s.AppendLine($"  {fault}: {heal}");
        }
        s.AppendLine("-- timeline --");
        foreach (var line in Timeline)
        {
            s.AppendLine("  " + line);
        }
        var bad = MustBeZero.Where(m => m.Value != 0).Select(m => $"{m.Line} = {m.Value}").ToList();
        s.AppendLine(bad.Count == 0 ? "OK: every must-be-zero line is 0" : "FAILED: " + string.Join(", ", bad));
        return s.ToString();
    }

    public Task SaveAsync(string path, CancellationToken ct) =>
        File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }), ct);

    private static string Reasons(Dictionary<string, int> byReason) =>
        byReason.Count == 0 ? "" : "(" + string.Join(", ", byReason.OrderByDescending(r => r.Value).Select(r => $"{r.Key}: {r.Value}")) + ")";

    private static void Row(StringBuilder s, string name, int value, string note = "") =>
        s.AppendLine($"  {name,-40} {value,6}  {note}".TrimEnd());
}
