using System.Diagnostics.Metrics;

namespace VideoGen.Bench.Ingest;

/// <summary>
/// Collects the ingest step durations VideoGen.Core publishes on its "VideoGen.Ingest" meter
/// (download, probe, poster, store, and ffmpeg/ffprobe slot waits). Listens by name only, so the
/// bench also builds against a baseline Core that has no such meter (then the split is empty).
/// </summary>
internal sealed class PhaseRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<double>> _samples = [];

    public PhaseRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "VideoGen.Ingest")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var key = instrument.Name switch
            {
                "videogen.ingest.step.duration" => Tag(tags, "step"),
                "videogen.process.slot_wait" => "slot_wait_" + Tag(tags, "tool"),
                _ => instrument.Name,
            };
            Add(key, value * 1000);
        });
        _listener.Start();
    }

    private void Add(string key, double value)
    {
        lock (_gate)
        {
            if (!_samples.TryGetValue(key, out var list))
            {
                _samples[key] = list = [];
            }
            list.Add(value);
        }
    }

    /// <summary>Per step: mean, p50 and p99 (milliseconds; for the poster batch size, videos per run), then forgets everything.</summary>
    public Dictionary<string, object> TakeSplit()
    {
        lock (_gate)
        {
            var split = _samples.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(
                kv => kv.Key,
                kv => (object)new { mean_ms = Math.Round(kv.Value.Average(), 1), p50_ms = Math.Round(Stats.Percentile(kv.Value, 0.50), 1), p99_ms = Math.Round(Stats.Percentile(kv.Value, 0.99), 1) });
            _samples.Clear();
            return split;
        }
    }

    public void Dispose() => _listener.Dispose();

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var t in tags)
        {
            if (t.Key == name)
            {
                return t.Value?.ToString() ?? "";
            }
        }
        return "";
    }
}
