using System.ComponentModel.DataAnnotations;
using VideoGen.Queue;

namespace VideoGen.Server.Options;

/// <summary>
/// Settings under <c>VideoGen:Workers</c>: the in-process workers of <c>serve</c> and <c>worker</c>. The one class
/// this section binds to: it is validated at start with the others, and <see cref="ApplyTo"/> hands it to the queue's
/// worker (<see cref="QueueWorkerOptions"/>), so no setting is read twice or past validation.
/// </summary>
public sealed class WorkersOptions : IValidatableObject
{
    public const string Section = "VideoGen:Workers";

    /// <summary>
    /// Whether <c>videogen serve</c> runs workers in-process (turn off to scale API and workers
    /// separately; <c>videogen worker</c> always runs them). <value>The default value is true.</value>
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Video jobs one process runs at once. <value>The default value is 4.</value></summary>
    [Range(1, 10_000, ErrorMessage = "VideoGen:Workers:Concurrency must be from 1 to 10000.")]
    public int Concurrency { get; set; } = 4;

    /// <summary>
    /// This worker's id, unique per process; also the lease holder on its jobs.
    /// <value>The default value is null: host name, process id and a random suffix.</value>
    /// </summary>
    public string? WorkerId { get; set; }

    /// <summary>A job's lease lasts this long unless renewed. <value>The default value is 30 seconds.</value></summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker renews all its leases; shorter than <see cref="LeaseDuration"/>. <value>The default value is 10 seconds.</value></summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the worker puts back the jobs of dead workers. <value>The default value is 5 seconds.</value></summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On stop, running jobs get this long to finish before their leases are released. <value>The default value is 10 seconds.</value></summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest idle wait when no wake-up arrives (a safety net, not a poll loop). <value>The default value is 5 seconds.</value></summary>
    public TimeSpan IdleWaitCeiling { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Finished jobs to keep (<c>Retention:MaxAge</c>, <c>Retention:MaxCount</c> per terminal state); older ones are
    /// removed every <see cref="RetentionInterval"/>. <value>The default value is 7 days and at most 10,000 jobs.</value>
    /// </summary>
    public RetentionPolicy Retention { get; set; } = new();

    /// <summary>How often the worker applies <see cref="Retention"/>. <value>The default value is 1 minute.</value></summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Lease up to <see cref="Concurrency"/> extra jobs while handlers are shorter than a store round trip (never for
    /// minutes-long video jobs); see <see cref="QueueWorkerOptions.ClaimAhead"/>. <value>The default value is true.</value>
    /// </summary>
    public bool ClaimAhead { get; set; } = true;

    /// <summary>Copies these settings onto the queue worker's options.</summary>
    public void ApplyTo(QueueWorkerOptions worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        worker.Concurrency = Concurrency;
        if (WorkerId is not null)
        {
            worker.WorkerId = WorkerId;
        }

        worker.LeaseDuration = LeaseDuration;
        worker.HeartbeatInterval = HeartbeatInterval;
        worker.RecoveryInterval = RecoveryInterval;
        worker.ShutdownTimeout = ShutdownTimeout;
        worker.IdleWaitCeiling = IdleWaitCeiling;
        worker.Retention = Retention;
        worker.RetentionInterval = RetentionInterval;
        worker.ClaimAhead = ClaimAhead;
    }

    /// <summary>Whether every check passes (the ones options validation reports at start, each naming its key).</summary>
    public bool IsValid() => Validator.TryValidateObject(this, new ValidationContext(this), validationResults: null, validateAllProperties: true);

    /// <summary>The checks the queue worker makes when it starts, made with the other settings so each names its key.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WorkerId is not null && string.IsNullOrWhiteSpace(WorkerId))
        {
            yield return Fail("VideoGen:Workers:WorkerId must not be blank; leave it unset for the default.", nameof(WorkerId));
        }

        foreach (var (name, value) in new[]
        {
            (nameof(LeaseDuration), LeaseDuration),
            (nameof(HeartbeatInterval), HeartbeatInterval),
            (nameof(RecoveryInterval), RecoveryInterval),
            (nameof(IdleWaitCeiling), IdleWaitCeiling),
            (nameof(RetentionInterval), RetentionInterval),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return Fail($"VideoGen:Workers:{name} must be longer than 00:00:00.", name);
            }
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            yield return Fail("VideoGen:Workers:ShutdownTimeout must not be negative.", nameof(ShutdownTimeout));
        }

        if (HeartbeatInterval >= LeaseDuration)
        {
            yield return Fail(
                "VideoGen:Workers:HeartbeatInterval must be shorter than VideoGen:Workers:LeaseDuration, or leases expire between renewals.",
                nameof(HeartbeatInterval));
        }
    }

    private static ValidationResult Fail(string message, string member) => new(message, [member]);
}
