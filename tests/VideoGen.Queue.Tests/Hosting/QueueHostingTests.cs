using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VideoGen.Queue.Hosting;
using VideoGen.Queue.Sqlite;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Hosting;

public sealed class QueueHostingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AddQueueWorker_RunsEnqueuedJobsInAScopedHandler()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Recorder>();
        services.AddSqliteQueue(Path.Combine(_directory, "queue.db"));
        services.AddQueueWorker<RecordingHandler>("videos", o => o.Concurrency = 2);
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(TestContext.Current.CancellationToken);
        }

        var queue = provider.GetRequiredService<JobQueues>().Get("videos");
        await queue.EnqueueAsync(new EnqueueRequest { Id = "v1", Payload = "hello" }, TestContext.Current.CancellationToken);

        var recorder = provider.GetRequiredService<Recorder>();
        await Eventually.TrueAsync(async () => (await queue.GetAsync("v1"))?.State == JobState.Completed, "job v1 to complete");
        Assert.Equal("done:hello", (await queue.GetAsync("v1"))!.Result);
        Assert.Single(recorder.HandlerInstances);
        Assert.Same(queue, provider.GetRequiredService<JobQueues>().Get("videos"));
        foreach (var service in hosted)
        {
            await service.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    public sealed class Recorder
    {
        public System.Collections.Concurrent.ConcurrentBag<object> HandlerInstances { get; } = [];
    }

    public sealed class RecordingHandler(Recorder recorder) : IJobHandler
    {
        public Task<string?> HandleAsync(JobContext job, CancellationToken ct)
        {
            recorder.HandlerInstances.Add(this);
            return Task.FromResult<string?>("done:" + job.Payload);
        }
    }
}
