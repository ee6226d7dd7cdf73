using Hangfire;
using VideoGen.Bench.Common;

namespace VideoGen.Bench.Hangfire;

/// <summary>Enqueue-call-start to job-start latency with an idle server, one job at a time.</summary>
public static class Pickup
{
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Pause between samples so the worker is back in its idle wait when the next job arrives.</summary>
    private static readonly TimeSpan IdleGap = TimeSpan.FromMilliseconds(5);

    public static async Task<LatencySamples> MeasureAsync(IBackgroundJobClient client, int samples, TimeSpan timeLimit, TimeProvider time)
    {
        var result = new LatencySamples();
        var begin = time.GetTimestamp();
        for (var s = -1; s < samples && time.GetElapsedTime(begin) < timeLimit; s++)
        {
            await Task.Delay(IdleGap, time);
            var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            NoopJob.OnStart(() => started.TrySetResult(time.GetTimestamp()));
            var t0 = time.GetTimestamp();
            var i = s;
            client.Enqueue(() => NoopJob.Run(i));
            var startedAt = await started.Task.WaitAsync(SampleTimeout, time);
            if (s >= 0)
            {
                result.Add(time.GetElapsedTime(t0, startedAt));
            }
        }

        NoopJob.OnStart(null);
        return result;
    }
}
