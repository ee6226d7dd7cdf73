using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VideoGen.Core.Media;

/// <summary>
/// Where ingest time goes, as <see cref="System.Diagnostics.Metrics"/> histograms on the meter
/// <see cref="MeterName"/> (seconds): <c>videogen.ingest.step.duration</c> tagged
/// <c>step</c> = download | probe | poster | store, and <c>videogen.process.slot_wait</c> — time
/// spent waiting for a <see cref="ProcessRunner"/> slot, tagged <c>tool</c>, and
/// <c>videogen.ingest.poster_batch.size</c> — posters made per ffmpeg run. Exported by any
/// OpenTelemetry or <c>dotnet-counters</c> listener; bench/ingest reads them to split its figures.
/// Costs nothing when nobody listens.
/// </summary>
public static class IngestMetrics
{
    public const string MeterName = "VideoGen.Ingest";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(
        "videogen.ingest.step.duration", unit: "s", description: "Duration of one ingest step (download, probe, poster, store).");

    private static readonly Histogram<double> SlotWait = Meter.CreateHistogram<double>(
        "videogen.process.slot_wait", unit: "s", description: "Time an ffmpeg/ffprobe run waited for a free process slot.");

    private static readonly Histogram<int> PosterBatch = Meter.CreateHistogram<int>(
        "videogen.ingest.poster_batch.size", unit: "{video}", description: "Posters made by one ffmpeg run.");

    internal static void RecordPosterBatch(int size)
    {
        if (PosterBatch.Enabled)
        {
            PosterBatch.Record(size);
        }
    }

    internal static void RecordStep(string step, long startTimestamp)
    {
        if (StepDuration.Enabled)
        {
            StepDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("step", step));
        }
    }

    internal static void RecordSlotWait(string tool, long startTimestamp)
    {
        if (SlotWait.Enabled)
        {
            SlotWait.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("tool", tool));
        }
    }
}
