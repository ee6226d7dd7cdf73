namespace VideoGen.Testing.Chaos;

/// <summary>What losing the queue looks like in a <see cref="ChaosRun"/>.</summary>
public enum QueueLoss
{
    /// <summary>Redis keeps its data (a restart, if any, reloads the AOF).</summary>
    None,

    /// <summary><c>FLUSHALL</c> mid-run: every job, lease and dedup key gone, Redis still up.</summary>
    FlushAll,

    /// <summary>Redis killed and started again mid-run with its data files deleted.</summary>
    RestartEmpty,
}

/// <summary>
/// One chaos run's shape: how many videos, which faults FakeFal mixes in, which processes are killed
/// and when. The defaults are the CI size; <see cref="ChaosRun"/> prints and returns the ledger.
/// </summary>
public sealed record ChaosOptions
{
    /// <summary>Videos created through the API.</summary>
    public int Videos { get; init; } = 200;

    /// <summary>Webhooks on (the API's URL is <c>VideoGen:PublicBaseUrl</c>) or polling only.</summary>
    public bool Webhooks { get; init; } = true;

    /// <summary>The app database (<c>ConnectionStrings:Postgres</c>); the run's processes create it by migrating.</summary>
    public required string PostgresConnection { get; init; }

    /// <summary>Creates in flight at once while the videos are created.</summary>
    public int CreateConcurrency { get; init; } = 8;

    /// <summary>Video jobs each of the two worker processes runs at once.</summary>
    public int WorkerConcurrency { get; init; } = 16;

    /// <summary>FakeFal's fault options for the run (<c>POST /_fake/config</c> JSON); <see cref="ChaosFaults.None"/> for none.</summary>
    public string Faults { get; init; } = ChaosFaults.Mixed;

    /// <summary>
    /// Every n-th video carries <c>[fakefal:error]</c> (fal completes it with an error result: a failure
    /// the request caused); 0 for none.
    /// </summary>
    public int EveryNthProviderError { get; init; } = 40;

    /// <summary>Every n-th video carries <c>[fakefal:validation]</c> (fal refuses it at submit, nothing paid); 0 for none.</summary>
    public int EveryNthRefused { get; init; } = 50;

    /// <summary>Every n-th video is canceled by its owner while it runs; 0 for none.</summary>
    public int EveryNthCanceled { get; init; } = 45;

    /// <summary>Rounds of worker kills triggered by a video seen in each pipeline step (submitting, in_queue, generating, ingesting).</summary>
    public int StepKillRounds { get; init; } = 1;

    /// <summary>Worker kills at random moments (one after each step kill, then the rest).</summary>
    public int RandomKills { get; init; } = 4;

    /// <summary>Pause between two chaos actions: a random value in this range.</summary>
    public (TimeSpan Min, TimeSpan Max) Pause { get; init; } = (TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));

    /// <summary>SIGKILLs of the API process (restarted on the same address).</summary>
    public int ApiKills { get; init; } = 2;

    /// <summary>One SIGKILL and restart of Redis (its AOF reloaded) during the chaos.</summary>
    public bool RedisRestart { get; init; } = true;

    /// <summary>A queue loss mid-run (once a quarter of the videos succeeded).</summary>
    public QueueLoss QueueLoss { get; init; } = QueueLoss.None;

    /// <summary>How long after the chaos ends every video must be terminal; non-terminal ones then count as stuck.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Bound on the whole chaos phase (the actions stop early when it is reached).</summary>
    public TimeSpan ChaosLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Seed of the run's random choices (kill moments, which worker); printed with the ledger.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Where progress lines go (a test's output, the console).</summary>
    public Action<string> Log { get; init; } = _ => { };
}
