using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Queue;
using VideoGen.Queue.Hosting;

namespace VideoGen.Server.Tests.Limits;

/// <summary>
/// Stands in for the video pipeline in queue-order tests: a real queue worker on the server's videos queue whose handler
/// records the order in which jobs start, then holds its slot until the test lets it go (<see cref="Release"/>) or, when
/// <see cref="AutoRelease"/> is set, for that long. So "which video starts next" is read from the real engine's choices
/// without rendering anything.
/// </summary>
public sealed class StartRecorder
{
    private readonly ConcurrentQueue<string> _started = new();
    private readonly SemaphoreSlim _release = new(0);

    /// <summary>When set, each job holds its slot this long and ends by itself.</summary>
    public TimeSpan? AutoRelease { get; init; }

    public IReadOnlyList<string> Started => _started.ToArray();

    /// <summary>Lets <paramref name="count"/> held jobs finish.</summary>
    public void Release(int count = 1) => _release.Release(count);

    internal async Task RunAsync(string jobId, CancellationToken ct)
    {
        _started.Enqueue(jobId);
        if (AutoRelease is { } hold)
        {
            await Task.Delay(hold, ct);
        }
        else
        {
            await _release.WaitAsync(ct);
        }
    }

    /// <summary>Registers the recorder and a worker with <paramref name="concurrency"/> slots on the <c>videos</c> queue (claim-ahead off, so the engine's order is what runs).</summary>
    public static Action<IServiceCollection> Services(StartRecorder recorder, int concurrency) => services =>
    {
        services.AddSingleton(recorder);
        services.AddQueueWorker<RecordingHandler>("videos", o =>
        {
            o.Concurrency = concurrency;
            o.ClaimAhead = false;
            o.ShutdownTimeout = TimeSpan.FromSeconds(1);
        });
    };

    internal sealed class RecordingHandler(StartRecorder recorder) : IJobHandler
    {
        public async Task<string?> HandleAsync(JobContext job, CancellationToken ct)
        {
            await recorder.RunAsync(job.Id, ct);
            return null;
        }
    }
}
