using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoGen.Queue;
using VideoGen.Queue.Hosting;
using VideoGen.Server.Hosting;
using VideoGen.Server.Options;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary><c>VideoGen:Workers</c> binds to one class, validated at start, which is what the queue worker runs with.</summary>
public sealed class WorkersOptionsTests
{
    [Fact]
    public void Defaults_AreTheQueueWorkerDefaults_WithFourVideoJobsAtOnce()
    {
        var queueDefaults = new QueueWorkerOptions();
        var applied = new QueueWorkerOptions();

        new WorkersOptions().ApplyTo(applied);

        Assert.Equal(4, applied.Concurrency);
        Assert.Equal(queueDefaults.LeaseDuration, applied.LeaseDuration);
        Assert.Equal(queueDefaults.HeartbeatInterval, applied.HeartbeatInterval);
        Assert.Equal(queueDefaults.RecoveryInterval, applied.RecoveryInterval);
        Assert.Equal(queueDefaults.ShutdownTimeout, applied.ShutdownTimeout);
        Assert.Equal(queueDefaults.IdleWaitCeiling, applied.IdleWaitCeiling);
        Assert.Equal(queueDefaults.Retention, applied.Retention);
        Assert.Equal(queueDefaults.RetentionInterval, applied.RetentionInterval);
        Assert.Equal(queueDefaults.ClaimAhead, applied.ClaimAhead);
        Assert.False(string.IsNullOrWhiteSpace(applied.WorkerId));
    }

    [Fact]
    public void EverySetting_ReachesTheQueueWorker()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Workers:Concurrency"] = "7",
            ["VideoGen:Workers:WorkerId"] = "w-7",
            ["VideoGen:Workers:LeaseDuration"] = "00:01:00",
            ["VideoGen:Workers:HeartbeatInterval"] = "00:00:20",
            ["VideoGen:Workers:RecoveryInterval"] = "00:00:03",
            ["VideoGen:Workers:ShutdownTimeout"] = "00:00:02",
            ["VideoGen:Workers:IdleWaitCeiling"] = "00:00:04",
            ["VideoGen:Workers:Retention:MaxAge"] = "2.00:00:00",
            ["VideoGen:Workers:Retention:MaxCount"] = "50",
            ["VideoGen:Workers:RetentionInterval"] = "00:05:00",
            ["VideoGen:Workers:ClaimAhead"] = "false",
        }).Build();
        var worker = new QueueWorkerOptions();

        configuration.Peek<WorkersOptions>(WorkersOptions.Section).ApplyTo(worker);

        Assert.Equal(7, worker.Concurrency);
        Assert.Equal("w-7", worker.WorkerId);
        Assert.Equal(TimeSpan.FromMinutes(1), worker.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(20), worker.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(3), worker.RecoveryInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), worker.ShutdownTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), worker.IdleWaitCeiling);
        Assert.Equal(new RetentionPolicy { MaxAge = TimeSpan.FromDays(2), MaxCount = 50 }, worker.Retention);
        Assert.Equal(TimeSpan.FromMinutes(5), worker.RetentionInterval);
        Assert.False(worker.ClaimAhead);
    }

    [Fact]
    public void WorkerProcess_RunsItsWorkerWithTheBoundSettings()
    {
        using var dir = new TempDir();
        using var host = VideoGenHost.BuildWorker([$"--VideoGen:DataDir={dir.Path}", "--VideoGen:Workers:WorkerId=w-bound"], runWorkers: true);

        var worker = Assert.Single(host.Services.GetServices<IHostedService>().OfType<QueueWorkerHostedService>());

        Assert.Equal("w-bound", worker.Worker.WorkerId);
        Assert.Equal("w-bound", host.Services.GetRequiredService<IOptions<WorkersOptions>>().Value.WorkerId);
    }

    [Theory]
    [InlineData("--VideoGen:Workers:HeartbeatInterval=00:00:30", "VideoGen:Workers:HeartbeatInterval must be shorter than VideoGen:Workers:LeaseDuration")]
    [InlineData("--VideoGen:Workers:LeaseDuration=00:00:00", "VideoGen:Workers:LeaseDuration must be longer than 00:00:00.")]
    [InlineData("--VideoGen:Workers:RetentionInterval=-00:00:01", "VideoGen:Workers:RetentionInterval must be longer than 00:00:00.")]
    [InlineData("--VideoGen:Workers:ShutdownTimeout=-00:00:01", "VideoGen:Workers:ShutdownTimeout must not be negative.")]
    [InlineData("--VideoGen:Workers:WorkerId= ", "VideoGen:Workers:WorkerId must not be blank")]
    public async Task Start_InvalidWorkerSetting_FailsNamingTheKey(string setting, string expected)
    {
        using var dir = new TempDir();
        using var host = VideoGenHost.BuildWorker([$"--VideoGen:DataDir={dir.Path}", setting], runWorkers: true);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
