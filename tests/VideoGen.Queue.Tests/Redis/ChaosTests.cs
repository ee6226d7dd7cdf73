using StackExchange.Redis;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>
/// Real processes, real Redis, real faults while 1,000 jobs run. Each test ends with every job
/// completed exactly once and prints its counts. Short leases (2 s) and a 500 ms recovery interval
/// keep each run well under a minute on two cores.
/// </summary>
public sealed class ChaosTests
{
    private static readonly TimeSpan DisruptFor = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan FinishWithin = TimeSpan.FromSeconds(35);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkersSigkilledRepeatedly_EveryJobCompletesExactlyOnce()
    {
        await using var chaos = await ChaosHarness.StartAsync("chaos-kill", workers: 4);
        var until = chaos.Elapsed + DisruptFor;
        while (chaos.Elapsed < until && (await chaos.CountsAsync())[JobState.Completed] < ChaosHarness.JobCount)
        {
            await Task.Delay(Random.Shared.Next(300, 701), Ct);
            chaos.KillRandomWorkerAndReplace();
        }

        await chaos.WaitForAllCompletedAsync(FinishWithin);
        await chaos.VerifyAsync($"SIGKILLed workers {chaos.WorkerKills}");
        Assert.True(chaos.WorkerKills >= 3, $"only {chaos.WorkerKills} workers were killed; the run did not exercise recovery");
    }

    [Fact]
    public async Task RedisServerRestartedMidRun_EveryJobCompletesExactlyOnce()
    {
        await using var chaos = await ChaosHarness.StartAsync("chaos-restart", workers: 3);
        var restarts = 0;
        var until = chaos.Elapsed + DisruptFor;
        while (restarts < 2 && chaos.Elapsed < until && (await chaos.CountsAsync())[JobState.Completed] < ChaosHarness.JobCount)
        {
            await Task.Delay(Random.Shared.Next(500, 1000), Ct);
            await chaos.Server.RestartAsync(Ct); // SIGKILL + start on the same port and AOF dir
            restarts++;
        }

        await chaos.WaitForAllCompletedAsync(FinishWithin);
        var summary = await chaos.VerifyAsync($"redis-server restarts {restarts}");
        Assert.True(restarts >= 1, $"Redis was never restarted mid-run ({summary})");
    }

    [Fact]
    public async Task ConnectionsDroppedUnderLoad_EveryJobCompletesExactlyOnce()
    {
        await using var chaos = await ChaosHarness.StartAsync("chaos-clientkill", workers: 3);
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{chaos.Server.Endpoint},allowAdmin=true");
        var kills = 0L;
        var until = chaos.Elapsed + DisruptFor;
        while (chaos.Elapsed < until && (await chaos.CountsAsync())[JobState.Completed] < ChaosHarness.JobCount)
        {
            await Task.Delay(Random.Shared.Next(300, 701), Ct);
            kills += (long)await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        }

        await chaos.WaitForAllCompletedAsync(FinishWithin);
        await chaos.VerifyAsync($"connections killed {kills}");
        Assert.True(kills >= 1, "no connection was killed mid-run");
    }
}
