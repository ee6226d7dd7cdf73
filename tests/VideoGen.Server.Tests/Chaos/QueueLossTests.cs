using VideoGen.Testing.Chaos;

namespace VideoGen.Server.Tests.Chaos;

/// <summary>
/// The app database is the truth (issue 11): in the middle of a 200-video run on Redis and PostgreSQL
/// (<c>videogen serve</c> + two <c>videogen worker</c> processes, FakeFal with webhooks, no faults),
/// the queue is lost — <c>FLUSHALL</c>, or Redis restarted with its data files deleted — and every
/// video still succeeds with exactly one submission at fal: the reconciler gives every unfinished row
/// its job back (pass every 2 s here, <c>VideoGen:Queue:ReconcileInterval</c>), and the pipeline
/// re-attaches to the saved request id.
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class QueueLossTests(ITestOutputHelper output)
{
    private const int Videos = 200;

    [Fact(Timeout = 600_000)]
    public Task FlushAll_MidRun_EveryVideoSucceeds_SubmittedOnce() => RunAsync(QueueLoss.FlushAll, TestContext.Current.CancellationToken);

    [Fact(Timeout = 600_000)]
    public Task RedisRestartedWithoutItsData_MidRun_EveryVideoSucceeds_SubmittedOnce() => RunAsync(QueueLoss.RestartEmpty, TestContext.Current.CancellationToken);

    /// <param name="loss">How the queue is lost mid-run.</param>
    /// <param name="ct">The test's token; the run's processes and waits also end with it.</param>
    private async Task RunAsync(QueueLoss loss, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await using var postgres = ChaosPostgres.Create();
        var ledger = await ChaosRun.RunAsync(new ChaosOptions
        {
            Videos = Videos,
            PostgresConnection = postgres.ConnectionString,
            WorkerConcurrency = 8,
            Faults = ChaosFaults.None,
            EveryNthProviderError = 0,
            EveryNthRefused = 0,
            EveryNthCanceled = 0,
            StepKillRounds = 0,
            RandomKills = 0,
            ApiKills = 0,
            RedisRestart = false,
            QueueLoss = loss,
            Grace = TimeSpan.FromMinutes(3),
            Log = output.WriteLine,
        });

        var report = ledger.ToString();
        Assert.True(report.Contains(loss == QueueLoss.FlushAll ? "FLUSHALL" : "data files deleted", StringComparison.Ordinal), $"the queue was not lost\n{report}");
        Assert.True(ledger.Accepted == Videos, report);
        Assert.True(ledger.Succeeded == Videos, report);
        Assert.True(ledger.Submissions == Videos, report);
        Assert.True(ledger.SubmittedTwice.Count == 0 && ledger.Missing.Count == 0, report);
    }
}
