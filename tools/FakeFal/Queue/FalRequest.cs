using System.Text.Json.Nodes;

namespace FakeFal.Queue;

/// <summary>
/// One queued request. Mutable state is guarded by <see cref="Gate"/>; every change bumps
/// <see cref="Version"/> and completes the task returned by <see cref="WaitForChangeAsync"/>.
/// </summary>
public sealed class FalRequest
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public required string Id { get; init; }

    /// <summary>The full endpoint id submitted to, e.g. <c>fal-ai/kling-video/v2.1/standard/text-to-video</c>.</summary>
    public required string ModelId { get; init; }

    /// <summary>The app part used in status/response URLs, e.g. <c>fal-ai/kling-video</c>.</summary>
    public required string AppId { get; init; }

    public required JsonObject Input { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Scheme, host and path base the submit came in on; result file URLs use it.</summary>
    public required string BaseUrl { get; init; }

    public string? IdempotencyKey { get; init; }

    public string? WebhookUrl { get; init; }

    public Lock Gate { get; } = new();

    public CancellationTokenSource Cancellation { get; } = new();

    public RequestState State { get; private set; } = RequestState.InQueue;

    public int Version { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public bool Canceled { get; private set; }

    public bool CancelRequested { get; private set; }

    public JsonObject? Output { get; private set; }

    public RequestError? Error { get; private set; }

    public List<LogEntry> Logs { get; } = [];

    public void MarkStarted(DateTimeOffset now)
    {
        lock (Gate)
        {
            State = RequestState.InProgress;
            StartedAt = now;
            Logs.Add(new LogEntry("Request picked up by a runner", now));
            Touch();
        }
    }

    public void AddLog(string message, DateTimeOffset now)
    {
        lock (Gate)
        {
            Logs.Add(new LogEntry(message, now));
            Touch();
        }
    }

    /// <summary>Records the end; returns false when the request had already completed.</summary>
    public bool TryComplete(DateTimeOffset now, JsonObject? output, RequestError? error, bool canceled, TimeSpan retention)
    {
        lock (Gate)
        {
            if (State == RequestState.Completed)
            {
                return false;
            }

            State = RequestState.Completed;
            CompletedAt = now;
            ExpiresAt = now + retention;
            Output = output;
            Error = error;
            Canceled = canceled;
            Logs.Add(new LogEntry(canceled ? "Request canceled" : error is null ? "Request completed" : $"Request failed: {error.Message}", now, error is null ? "INFO" : "ERROR"));
            Touch();
            return true;
        }
    }

    public void RequestCancel()
    {
        lock (Gate)
        {
            CancelRequested = true;
            Touch();
        }

        Cancellation.Cancel();
    }

    public Task WaitForChangeAsync()
    {
        lock (Gate)
        {
            return _changed.Task;
        }
    }

    private void Touch()
    {
        Version++;
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
