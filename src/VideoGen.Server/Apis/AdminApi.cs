using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using VideoGen.Queue;
using VideoGen.Queue.WorkerPresence;
using VideoGen.Server.Options;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Apis;

/// <summary>
/// The admin API under <c>/api/admin</c>: a queue's counts per state and pause flag, its jobs by state
/// (paged), retry of a failed or canceled job, removal of a job that is not running, pause/resume, and the
/// live workers (from <see cref="IWorkerDirectory"/>). Only the queues this server is configured with
/// (<c>VideoGen:Queue:Name</c>) are reachable; any other name is 404, so a request never opens a new queue.
/// </summary>
/// <remarks>
/// Admin role only (single-user mode's local owner is an admin). Job payloads and results are not returned (they
/// are the producer's business; the video id is the job id).
/// </remarks>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Accounts.Roles.AdminPolicy)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        api.MapGet("/queues/{name}", GetQueue)
            .Describe("GetQueue", "A queue's counts by state and whether it is paused (admin)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        api.MapGet("/queues/{name}/jobs", ListJobs)
            .Describe("ListJobs", "A queue's jobs in one state, one page at a time (admin)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        api.MapGet("/queues/{name}/jobs/{id}", GetJob)
            .Describe("GetJob", "One job (admin)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        api.MapPost("/queues/{name}/jobs/{id}/retry", RetryJob)
            .Describe("RetryJob", "Retry a failed or canceled job (admin)")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapDelete("/queues/{name}/jobs/{id}", RemoveJob)
            .Describe("RemoveJob", "Remove a finished job (admin)")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/queues/{name}/pause", PauseQueue)
            .Describe("PauseQueue", "Stop workers claiming from a queue (admin)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        api.MapPost("/queues/{name}/resume", ResumeQueue)
            .Describe("ResumeQueue", "Let workers claim from a queue again (admin)")
            .ProducesProblems(StatusCodes.Status404NotFound);
        api.MapGet("/workers", ListWorkers)
            .Describe("ListWorkers", "The worker processes that are alive (admin)")
            .ProducesProblems(StatusCodes.Status503ServiceUnavailable);
        api.MapProviderLimitsApi();
        return app;
    }

    public static async Task<Results<Ok<QueueSummaryDto>, ProblemHttpResult>> GetQueue(
        string name, JobQueues queues, IOptions<QueueOptions> options, CancellationToken ct)
    {
        var queue = Find(name, queues, options);
        return queue is null ? QueueNotFound(name) : TypedResults.Ok(await SummaryAsync(queue, ct));
    }

    /// <summary>One state's jobs, oldest first, <paramref name="limit"/> per page (1..100, default 20); state defaults to failed.</summary>
    public static async Task<Results<Ok<AdminJobPageDto>, ValidationProblem, ProblemHttpResult>> ListJobs(
        string name, string? state, string? cursor, string? limit, JobQueues queues, IOptions<QueueOptions> options, CancellationToken ct)
    {
        var queue = Find(name, queues, options);
        if (queue is null)
        {
            return QueueNotFound(name);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var jobState = JobState.Failed;
        if (state is not null && !TryParseState(state, out jobState))
        {
            errors["state"] = [$"state must be one of: {string.Join(", ", JobStates.All.Select(StateName))}."];
        }

        var size = Paging.ReadLimit(limit, errors);
        if (cursor is not null && !Paging.HasCursorLength(cursor))
        {
            Paging.RejectCursor(errors);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        JobPage page;
        try
        {
            page = await queue.ListAsync(jobState, cursor, size, ct);
        }
        catch (Exception e) when (cursor is not null && e is ArgumentException or FormatException or OverflowException)
        {
            // Each backend has its own opaque cursor; one it cannot read is the caller's mistake, not ours.
            return Paging.CursorProblem();
        }

        return TypedResults.Ok(new AdminJobPageDto(page.Jobs.Select(AdminJobDto.From).ToList(), page.NextCursor));
    }

    public static async Task<Results<Ok<AdminJobDto>, ProblemHttpResult>> GetJob(
        string name, string id, JobQueues queues, IOptions<QueueOptions> options, CancellationToken ct)
    {
        var (_, job, missing) = await FindJobAsync(name, id, queues, options, ct);
        return job is null ? missing! : TypedResults.Ok(AdminJobDto.From(job));
    }

    /// <summary>
    /// A failed or canceled job goes back to waiting with fresh attempts (200 + the job); any other state is 409.
    /// A video job re-runs its video (<see cref="VideoAdminActions.RetryAsync"/>); a video that must not run again is 409.
    /// </summary>
    public static async Task<Results<Ok<AdminJobDto>, ProblemHttpResult>> RetryJob(
        string name, string id, JobQueues queues, IOptions<QueueOptions> options, VideoAdminActions videos, CancellationToken ct)
    {
        var (queue, job, missing) = await FindJobAsync(name, id, queues, options, ct);
        if (queue is null || job is null)
        {
            return missing!;
        }

        if (job.State is JobState.Failed or JobState.Canceled)
        {
            var (outcome, reason) = await videos.RetryAsync(id, ct);
            if (outcome == AdminRetry.Refused)
            {
                return Conflict("Video cannot be retried", reason!);
            }

            if (outcome == AdminRetry.Retried && await queue.GetAsync(id, ct) is { } rerun)
            {
                return TypedResults.Ok(AdminJobDto.From(rerun));
            }
        }

        if (job.State is not (JobState.Failed or JobState.Canceled) || !await queue.RetryAsync(id, ct))
        {
            var now = await queue.GetAsync(id, ct) ?? job;
            return Conflict("Job cannot be retried", $"Job '{Short(id)}' is {StateName(now.State)}; only failed or canceled jobs can be retried.");
        }

        var retried = await queue.GetAsync(id, ct);
        return retried is null ? JobNotFound(name, id) : TypedResults.Ok(AdminJobDto.From(retried));
    }

    /// <summary>
    /// Deletes a job that is not running (204); a running one is 409 (cancel it first, through its owner's API).
    /// The unfinished video of a removed job is canceled (<see cref="VideoAdminActions.CancelRemovedAsync"/>).
    /// </summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveJob(
        string name, string id, JobQueues queues, IOptions<QueueOptions> options, VideoAdminActions videos, CancellationToken ct)
    {
        var (queue, job, missing) = await FindJobAsync(name, id, queues, options, ct);
        if (queue is null || job is null)
        {
            return missing!;
        }

        if (await queue.RemoveAsync(id, ct))
        {
            await videos.CancelRemovedAsync(id, ct);
            return TypedResults.NoContent();
        }

        var now = await queue.GetAsync(id, ct);
        return now is null
            ? TypedResults.NoContent()
            : Conflict("Job is running", $"Job '{Short(id)}' is {StateName(now.State)}; a running job cannot be removed. Cancel it and remove it once it has ended.");
    }

    /// <summary>No new job starts until resume; running jobs go on. Idempotent. Answers the queue summary.</summary>
    public static async Task<Results<Ok<QueueSummaryDto>, ProblemHttpResult>> PauseQueue(
        string name, JobQueues queues, IOptions<QueueOptions> options, CancellationToken ct)
    {
        var queue = Find(name, queues, options);
        if (queue is null)
        {
            return QueueNotFound(name);
        }

        await queue.PauseAsync(ct);
        return TypedResults.Ok(await SummaryAsync(queue, ct));
    }

    /// <summary>Idle workers wake at once. Idempotent. Answers the queue summary.</summary>
    public static async Task<Results<Ok<QueueSummaryDto>, ProblemHttpResult>> ResumeQueue(
        string name, JobQueues queues, IOptions<QueueOptions> options, CancellationToken ct)
    {
        var queue = Find(name, queues, options);
        if (queue is null)
        {
            return QueueNotFound(name);
        }

        await queue.ResumeAsync(ct);
        return TypedResults.Ok(await SummaryAsync(queue, ct));
    }

    /// <summary>Workers that announced themselves within their ttl, on every queue, ordered by queue then id.</summary>
    public static async Task<Results<Ok<WorkerListDto>, ProblemHttpResult>> ListWorkers([FromServices] IWorkerDirectory? directory, CancellationToken ct)
    {
        if (directory is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Worker directory unavailable",
                detail: "The configured queue backend registers no worker directory, so workers cannot be listed.");
        }

        return TypedResults.Ok(new WorkerListDto(await directory.ListAsync(ct)));
    }

    /// <summary>The wire name of a state: waiting, delayed, active, completed, failed, canceled.</summary>
    public static string StateName(JobState state) => state.ToString().ToLowerInvariant();

    internal static bool TryParseState(string text, out JobState state)
    {
        foreach (var candidate in JobStates.All)
        {
            if (string.Equals(StateName(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>The queue and the job, or the 404 problem for whichever of them does not exist.</summary>
    private static async Task<(JobQueue? Queue, JobInfo? Job, ProblemHttpResult? Missing)> FindJobAsync(
        string name, string id, JobQueues queues, IOptions<QueueOptions> options, CancellationToken ct)
    {
        var queue = Find(name, queues, options);
        if (queue is null)
        {
            return (null, null, QueueNotFound(name));
        }

        var job = await queue.GetAsync(id, ct);
        return job is null ? (queue, null, JobNotFound(name, id)) : (queue, job, null);
    }

    private static JobQueue? Find(string name, JobQueues queues, IOptions<QueueOptions> options) =>
        string.Equals(name, options.Value.Name, StringComparison.Ordinal) ? queues.Get(name) : null;

    private static async Task<QueueSummaryDto> SummaryAsync(JobQueue queue, CancellationToken ct)
    {
        var counts = await queue.CountsAsync(ct);
        var paused = await queue.IsPausedAsync(ct);
        return new QueueSummaryDto(
            queue.Name,
            paused,
            JobStates.All.ToDictionary(StateName, s => counts.TryGetValue(s, out var n) ? n : 0L, StringComparer.Ordinal));
    }

    private static ProblemHttpResult QueueNotFound(string name) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Queue not found",
        detail: $"There is no queue named '{Short(name)}'.");

    private static ProblemHttpResult JobNotFound(string queue, string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Job not found",
        detail: $"Queue '{Short(queue)}' has no job with id '{Short(id)}'.");

    private static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    private static string Short(string text) => text.Length > 64 ? text[..64] + "…" : text;
}

/// <summary>A queue at a glance: jobs per state (every state present, 0 when empty) and whether claiming is paused.</summary>
/// <remarks>Limits are not shown: the queue store contract can set them but not read them back yet.</remarks>
public sealed record QueueSummaryDto(string Name, bool Paused, IReadOnlyDictionary<string, long> Counts);

/// <summary>One page of jobs; pass <see cref="NextCursor"/> as <c>cursor</c> for the next (null on the last page).</summary>
public sealed record AdminJobPageDto(IReadOnlyList<AdminJobDto> Items, string? NextCursor);

/// <summary>Live workers, from the backend's worker directory.</summary>
public sealed record WorkerListDto(IReadOnlyList<WorkerInfo> Items);

/// <summary>A job as the admin sees it: where it is, how often it ran, why it failed. No payload or result.</summary>
public sealed record AdminJobDto(
    string Id,
    string State,
    int Priority,
    string? Group,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset RunAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error,
    string? WorkerId,
    DateTimeOffset? LeaseExpiresAt,
    bool CancelRequested)
{
    public static AdminJobDto From(JobInfo job) => new(
        job.Id,
        AdminApi.StateName(job.State),
        job.Priority,
        job.Group,
        job.Attempt,
        job.MaxAttempts,
        job.CreatedAt,
        job.RunAt,
        job.StartedAt,
        job.FinishedAt,
        job.Error,
        job.WorkerId,
        job.LeaseExpiresAt,
        job.CancelRequested);
}
