using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Queue.Processing;
using VideoGen.Queue.Sqlite;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>
/// The worker's parts wired as <see cref="QueueWorker"/> wires them, on a real SQLite store of their own
/// and a fake clock, without the loops: a test drives one part and looks at the others and the store.
/// </summary>
internal sealed class WorkerParts : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "videogen-queue-tests", Guid.NewGuid().ToString("N"));

    private readonly SqliteQueueStore _sqlite;
    private int _enqueued;

    /// <param name="handler">Runs the jobs the runners start; by default none may start.</param>
    /// <param name="concurrency">Handler slots.</param>
    /// <param name="claimAheadMaxWait">How long a ready job may wait for a slot before the settler gives it back.</param>
    /// <param name="claimAhead">Whether the claim-ahead policy may claim beyond free slots.</param>
    /// <param name="overNetwork">Wraps the SQLite store, e.g. in a <see cref="RoundTripStore"/>.</param>
    public WorkerParts(IJobHandler? handler = null, int concurrency = 2, TimeSpan? claimAheadMaxWait = null, bool claimAhead = false, Func<SqliteQueueStore, IQueueStore>? overNetwork = null)
    {
        _sqlite = SqliteQueueStore.Open(Path.Combine(_directory, "queue.db"), "parts");
        Store = overNetwork is null ? _sqlite : overNetwork(_sqlite);
        Options = new QueueWorkerOptions { WorkerId = "parts-worker", Concurrency = concurrency, ClaimAhead = claimAhead };
        ClaimAhead = new ClaimAheadPolicy(concurrency, claimAhead);
        Slots = new HandlerSlots(concurrency);
        Executions = new ActiveExecutions(Stopping.Token);
        Completions = new PendingCompletions(maxBatch: 64);
        Outcomes = new OutcomeWriter(Store, Held, Completions, Time, NullLogger.Instance, Options.WorkerId);
        Runners = new JobRunners(handler ?? new NeverCalledHandler(), Store.QueueName, Ready, Held, Slots, Executions, Outcomes, ClaimAhead, Lanes, Stopping.Token, NullLogger.Instance, Options.WorkerId);
        Settler = new ReadyJobSettler(Ready, Runners, Slots, ClaimAhead, claimAheadMaxWait ?? TimeSpan.FromMinutes(1), NullLogger.Instance, Options.WorkerId);
    }

    public FakeTimeProvider Time { get; } = new(T0);

    public IQueueStore Store { get; }

    public QueueWorkerOptions Options { get; }

    public CancellationTokenSource Stopping { get; } = new();

    public ClaimAheadPolicy ClaimAhead { get; }

    public HeldJobs Held { get; } = new();

    public ReadyBuffer Ready { get; } = new();

    public HandlerSlots Slots { get; }

    public ActiveExecutions Executions { get; }

    public PendingCompletions Completions { get; }

    public LaneSignals Lanes { get; } = new();

    public OutcomeWriter Outcomes { get; }

    public JobRunners Runners { get; }

    public ReadyJobSettler Settler { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Enqueues <paramref name="count"/> new jobs, numbered on from the last call: <c>j0</c>, <c>j1</c>, …</summary>
    public async Task EnqueueAsync(int count, int maxAttempts = 3)
    {
        var first = _enqueued;
        _enqueued += count;
        var jobs = Enumerable.Range(first, count).Select(i => new EnqueueRequest { Id = $"j{i}", MaxAttempts = maxAttempts, Backoff = BackoffPolicy.Default }).ToList();
        await Store.EnqueueManyAsync(jobs, Time.GetUtcNow(), Ct);
    }

    public Task<IReadOnlyList<ClaimedJob>> ClaimAsync(int max) =>
        Store.ClaimAsync(new ClaimRequest(Options.WorkerId, max, TimeSpan.FromSeconds(30)), Time.GetUtcNow(), Ct);

    /// <summary>Enqueues one job, claims it, and holds it as the worker would; <paramref name="ready"/> also puts it in the ready buffer.</summary>
    public async Task<RunningJob> HoldOneAsync(bool ready = false, int maxAttempts = 3)
    {
        await EnqueueAsync(1, maxAttempts);
        var run = new RunningJob(Assert.Single(await ClaimAsync(1)));
        Held.Add(run);
        if (ready)
        {
            Ready.Add(run);
        }

        return run;
    }

    public async Task<JobInfo> GetAsync(string id) => await Store.GetAsync(id, Ct) ?? throw new InvalidOperationException($"job {id} not found");

    /// <summary>The completions waiting to be written, taken out of <see cref="Completions"/>.</summary>
    public List<PendingCompletion> TakeCompletions()
    {
        var batch = new List<PendingCompletion>();
        Completions.DrainInto(batch);
        return batch;
    }

    public async ValueTask DisposeAsync()
    {
        await Stopping.CancelAsync();
        await _sqlite.DisposeAsync();
        Stopping.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private sealed class NeverCalledHandler : IJobHandler
    {
        public Task<string?> HandleAsync(JobContext job, CancellationToken ct) => throw new InvalidOperationException("No handler in this test.");
    }
}
