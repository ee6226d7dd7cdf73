using System.Globalization;
using VideoGen.Testing.Chaos;

namespace VideoGen.Server.Tests.Chaos;

/// <summary>
/// Issue 11's chaos ledger at CI size: <c>videogen serve</c> + two <c>videogen worker</c> processes on
/// Redis and PostgreSQL, FakeFal with every fault mixed in (<see cref="ChaosFaults.Mixed"/>), workers
/// SIGKILLed at each pipeline step and at random moments, the API SIGKILLed twice, Redis restarted once,
/// a few videos canceled by their owner and a few failed or refused by fal on purpose. The ledger's
/// must-be-zero lines must be 0. <c>bench/chaos/run.sh</c> runs the same test at 5,000 videos
/// (VIDEOGEN_CHAOS_VIDEOS, VIDEOGEN_CHAOS_WEBHOOKS, VIDEOGEN_CHAOS_LEDGER_FILE).
/// </summary>
[Collection(ChaosCollection.Name)]
public sealed class ChaosLedgerTests(ITestOutputHelper output)
{
    [Fact(Timeout = 7_200_000)]
    public async Task MixedFaultsAndKills_NothingPaidTwice_NothingPaidLost_NothingStuck()
    {
        var videos = Setting("VIDEOGEN_CHAOS_VIDEOS", 200);
        var webhooks = Environment.GetEnvironmentVariable("VIDEOGEN_CHAOS_WEBHOOKS") != "false";
        var large = videos >= 1000;
        await using var postgres = ChaosPostgres.Create();
        var ledger = await ChaosRun.RunAsync(new ChaosOptions
        {
            Videos = videos,
            Webhooks = webhooks,
            PostgresConnection = postgres.ConnectionString,
            CreateConcurrency = large ? 24 : 8,
            WorkerConcurrency = large ? 48 : 16,
            StepKillRounds = large ? 3 : 1,
            RandomKills = large ? 12 : 2,
            Pause = large ? (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)) : (TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1.5)),
            ApiKills = 2,
            ChaosLimit = large ? TimeSpan.FromMinutes(40) : TimeSpan.FromMinutes(3),
            Grace = large ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(2),
            Log = output.WriteLine,
        });
        if (Environment.GetEnvironmentVariable("VIDEOGEN_CHAOS_LEDGER_FILE") is { Length: > 0 } file)
        {
            await File.WriteAllTextAsync(file, ledger.ToString(), TestContext.Current.CancellationToken);
        }

        var report = ledger.ToString();
        Assert.True(ledger.Accepted == videos, $"accepted {ledger.Accepted} of {videos}\n{report}");
        Assert.True(ledger.SubmittedTwice.Count == 0, report);
        Assert.True(ledger.Stuck.Count == 0, report);
        Assert.True(ledger.Missing.Count == 0, report);
        Assert.True(ledger.CanceledWithoutCause.Count == 0, report);
        Assert.True(ledger.RefusedButSubmitted.Count == 0, report);
        // Last: unknown submit outcomes (issue 11 path 6) show up here, as failures and as results fal finished but nobody fetched.
        Assert.True(ledger.FailedWithoutCause.Count == 0, report);
        if (webhooks)
        {
            Assert.True(ledger.CompletedNotDelivered.Count == 0, report);
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
}
