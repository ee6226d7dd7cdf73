using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FakeFal.Faults;
using FakeFal.Media;
using FakeFal.Options;
using FakeFal.Stats;
using FakeFal.Webhooks;

namespace FakeFal.Queue;

/// <summary>
/// Moves requests through per-model queues: a request starts when its model has a free slot and
/// it has waited the minimum queue time, runs for the configured time writing progress logs,
/// then completes with a rendered MP4 (or an error, or as canceled), releases its slot and
/// triggers its webhook.
/// </summary>
public sealed class QueueEngine(
    RuntimeSettings settings,
    RequestStore store,
    VideoRenderer renderer,
    WebhookSender webhooks,
    FaultInjector faults,
    FakeFalStats stats,
    TimeProvider time,
    ILogger<QueueEngine> log)
{
    private readonly ConcurrentDictionary<string, ModelQueue> _queues = new(StringComparer.Ordinal);
    private int _epoch;

    public FalRequest Submit(string modelId, JsonObject input, string baseUrl, string? idempotencyKey, string? webhookUrl)
    {
        var request = new FalRequest
        {
            Id = Guid.NewGuid().ToString(),
            ModelId = modelId,
            AppId = EndpointPath.AppId(modelId),
            Input = input,
            BaseUrl = baseUrl,
            SubmittedAt = time.GetUtcNow(),
            IdempotencyKey = idempotencyKey,
            WebhookUrl = webhookUrl,
        };
        store.Add(request);
        var queue = QueueOf(modelId);
        queue.Enqueue(request);
        stats.CountSubmission(modelId, request.Id, idempotencyKey);
        Pump(queue);
        return request;
    }

    public int PositionOf(FalRequest request) => QueueOf(request.ModelId).PositionOf(request);

    /// <summary>fal's cancel: a queued request is removed at once, a running one is signalled.</summary>
    public bool TryCancel(FalRequest request)
    {
        if (request.State == RequestState.Completed)
        {
            return false;
        }

        if (request.State == RequestState.InQueue && QueueOf(request.ModelId).Remove(request))
        {
            Finish(request, null, Outcomes.Canceled(), canceled: true);
            return true;
        }

        request.RequestCancel();
        return true;
    }

    public IReadOnlyDictionary<string, (int Waiting, int Running)> Queues()
        => _queues.ToDictionary(kv => kv.Key, kv => (kv.Value.Waiting, kv.Value.Running));

    /// <summary>Forgets every request and queue; runs still in flight finish silently.</summary>
    public void Reset()
    {
        Interlocked.Increment(ref _epoch);
        foreach (var r in store.Snapshot())
        {
            r.Cancellation.Cancel();
        }

        _queues.Clear();
        store.Clear();
    }

    /// <summary>Re-checks every queue, e.g. after the slot count changed at runtime.</summary>
    public void PumpAll()
    {
        foreach (var queue in _queues.Values)
        {
            Pump(queue);
        }
    }

    private ModelQueue QueueOf(string modelId) => _queues.GetOrAdd(modelId, id => new ModelQueue(id));

    private void Pump(ModelQueue queue)
    {
        var o = settings.Current.Queue;
        while (true)
        {
            var next = queue.TryStartNext(o.Slots, time.GetUtcNow(), o.QueueDelay, out var retryIn);
            if (next is null)
            {
                if (retryIn is { } wait)
                {
                    _ = Task.Delay(wait, time).ContinueWith(_ => Pump(queue), TaskScheduler.Default);
                }

                return;
            }

            next.MarkStarted(time.GetUtcNow());
            _ = RunAsync(queue, next, Volatile.Read(ref _epoch));
        }
    }

    private async Task RunAsync(ModelQueue queue, FalRequest request, int epoch)
    {
        var options = settings.Current;
        var ct = request.Cancellation.Token;
        try
        {
            var size = ClipSize.From(request.Input, options.Media);
            var render = renderer.GetAsync(size, options.Media.Ffmpeg);
            var end = time.GetUtcNow() + options.Queue.InProgress;
            var step = options.Queue.LogInterval > TimeSpan.Zero ? options.Queue.LogInterval : options.Queue.InProgress;
            var total = Math.Max(options.Queue.InProgress.TotalMilliseconds, 1);
            while (!ct.IsCancellationRequested && time.GetUtcNow() < end)
            {
                var remaining = end - time.GetUtcNow();
                try
                {
                    await Task.Delay(remaining < step ? remaining : step, time, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var done = Math.Min(100, (int)(100 * (1 - ((end - time.GetUtcNow()).TotalMilliseconds / total))));
                request.AddLog($"Generating video: {done}%", time.GetUtcNow());
            }

            if (epoch != Volatile.Read(ref _epoch))
            {
                return;
            }

            if (ct.IsCancellationRequested)
            {
                Finish(request, null, Outcomes.Canceled(), canceled: true);
            }
            else if (PromptMarkers.Has(request.Input, PromptMarkers.Error) || faults.Hit("error_result", options.Faults.ErrorResultRate, "result"))
            {
                Finish(request, null, Outcomes.ModelError(request, options.Faults.ErrorResultType, options.Faults.ErrorResultStatusCode), canceled: false);
            }
            else
            {
                var file = await render;
                Finish(request, Outcomes.VideoOutput(request, size, file), null, canceled: false);
            }
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Request {RequestId} failed inside FakeFal", request.Id);
            if (epoch == Volatile.Read(ref _epoch))
            {
                Finish(request, null, Outcomes.Internal(ex.Message), canceled: false);
            }
        }
        finally
        {
            queue.Release();
            Pump(queue);
        }
    }

    private void Finish(FalRequest request, JsonObject? output, RequestError? error, bool canceled)
    {
        var r = settings.Current.Retention;
        var size = output?.ToJsonString().Length ?? error?.Body.ToJsonString().Length ?? 0;
        var retention = ExpiredResults.Retention(faults, stats, request, output is not null, size >= r.LargeOutputBytes ? r.LargeOutputWindow : r.Window);
        if (!request.TryComplete(time.GetUtcNow(), output, error, canceled, retention))
        {
            return;
        }

        var outcome = canceled ? "canceled" : error is null ? "succeeded" : "failed";
        stats.CountOutcome(outcome);
        stats.RecordRequestOutcome(request.Id, outcome);
        webhooks.Deliver(request);
    }
}
