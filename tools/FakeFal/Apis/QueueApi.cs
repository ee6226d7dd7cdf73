using System.Text.Json;
using System.Text.Json.Nodes;
using FakeFal.Faults;
using FakeFal.Options;
using FakeFal.Queue;
using FakeFal.Stats;

namespace FakeFal.Apis;

/// <summary>
/// fal's queue protocol: <c>POST /{model_id}</c> submits; <c>GET /{app}/requests/{id}/status</c>,
/// <c>…/status/stream</c>, <c>GET /{app}/requests/{id}</c> and <c>PUT …/cancel</c> follow it up,
/// where {app} is the model id's first two segments.
/// </summary>
public static partial class QueueApi
{
    public static void MapQueueApi(this WebApplication app)
    {
        app.MapPost("/{**modelId}", SubmitAsync);
        app.MapGet("/{**path}", GetAsync);
        app.MapPut("/{**path}", CancelAsync);
    }

    private static async Task<IResult> SubmitAsync(
        string modelId,
        HttpContext context,
        RuntimeSettings settings,
        QueueEngine engine,
        FaultInjector faults,
        FakeFalStats stats,
        TimeProvider time)
    {
        stats.CountCall("submit");
        if (!FalHttp.IsAuthorized(context.Request))
        {
            return FalHttp.Unauthorized();
        }

        var decision = faults.Decide("submit");
        await FalHttp.DelayAsync(decision, time, context.RequestAborted);
        if (FalHttp.Rejection(decision) is { } rejection)
        {
            return rejection;
        }

        if (!EndpointPath.IsValidModelId(modelId))
        {
            return FalHttp.Json(404, new JsonObject { ["detail"] = $"Application '{modelId}' not found." });
        }

        var input = await ReadInputAsync(context.Request);
        if (input is null)
        {
            return ValidationError(["body"], "Input should be a valid JSON object.", "model_attributes_type");
        }

        if (PromptMarkers.Has(input, PromptMarkers.Validation) || faults.Hit("validation", faults.Current.ValidationErrorRate, "submit"))
        {
            return ValidationError(["body", "prompt"], "Input failed validation (injected by FakeFal).", "value_error");
        }

        string? webhook = context.Request.Query["fal_webhook"];
        if (webhook is not null && !(Uri.TryCreate(webhook, UriKind.Absolute, out var hook) && hook.Scheme is "http" or "https"))
        {
            return ValidationError(["query", "fal_webhook"], "fal_webhook must be an absolute http(s) URL.", "url_parsing");
        }

        var options = settings.Current;
        var baseUrl = FalHttp.BaseUrl(context.Request, options);
        var request = engine.Submit(modelId, input, baseUrl, IdempotencyKey(context.Request, input), webhook);
        if (EarlyWebhook.Hit(faults, request))
        {
            await EarlyWebhook.HoldAsync(faults, request, time, context.RequestAborted);
        }

        var body = StatusView.Urls(request, baseUrl);
        body["status"] = "IN_QUEUE";
        body["gateway_request_id"] = request.Id;
        body["queue_position"] = engine.PositionOf(request);
        return FalHttp.Deliver(context, decision, FalHttp.Json(200, body, request.Id));
    }

    private static async Task<IResult> GetAsync(
        string path,
        HttpContext context,
        RuntimeSettings settings,
        RequestStore store,
        QueueEngine engine,
        FaultInjector faults,
        FakeFalStats stats,
        TimeProvider time)
    {
        if (!EndpointPath.TryParseRequestPath(path, out var appId, out var requestId, out var action) || action == "cancel")
        {
            return FalHttp.Json(404, new JsonObject { ["detail"] = "Not found. Use the status_url / response_url returned by the submit call." });
        }

        var route = action switch { "status" => "status", "status/stream" => "stream", _ => "result" };
        stats.CountCall(route);
        if (!FalHttp.IsAuthorized(context.Request))
        {
            return FalHttp.Unauthorized();
        }

        var decision = faults.Decide(route);
        await FalHttp.DelayAsync(decision, time, context.RequestAborted);
        if (FalHttp.Rejection(decision) is { } rejection)
        {
            return rejection;
        }

        if (decision.Fault == TransportFault.Drop)
        {
            return FalHttp.Deliver(context, decision, Results.Empty);
        }

        var request = store.Find(appId, requestId);
        if (request is not null && route != "result" && faults.Hit("expire", faults.Current.ExpireRate, route))
        {
            store.Expire(request.Id);
            request = null;
        }

        if (request is null)
        {
            return FalHttp.Json(404, new JsonObject { ["detail"] = $"Request '{requestId}' not found." });
        }

        stats.CountRequestCall(request.Id, route);
        var baseUrl = FalHttp.BaseUrl(context.Request, settings.Current);
        var answer = route switch
        {
            "status" => Status(request, baseUrl, WantsLogs(context.Request), engine),
            "stream" => new StatusStreamResult(request, baseUrl, WantsLogs(context.Request), engine, decision.Fault == TransportFault.MalformedJson),
            _ => Result(request),
        };
        return route == "stream" ? answer : FalHttp.Deliver(context, decision, answer);
    }

    private static async Task<IResult> CancelAsync(
        string path,
        HttpContext context,
        RequestStore store,
        QueueEngine engine,
        FaultInjector faults,
        FakeFalStats stats,
        TimeProvider time)
    {
        if (!EndpointPath.TryParseRequestPath(path, out var appId, out var requestId, out var action) || action != "cancel")
        {
            return FalHttp.Json(404, new JsonObject { ["detail"] = "Not found. Use the cancel_url returned by the submit call." });
        }

        stats.CountCall("cancel");
        if (!FalHttp.IsAuthorized(context.Request))
        {
            return FalHttp.Unauthorized();
        }

        var decision = faults.Decide("cancel");
        await FalHttp.DelayAsync(decision, time, context.RequestAborted);
        if (FalHttp.Rejection(decision) is { } rejection)
        {
            return rejection;
        }

        var request = store.Find(appId, requestId);
        if (request is null)
        {
            return FalHttp.Json(404, new JsonObject { ["status"] = "NOT_FOUND", ["detail"] = $"Request '{requestId}' not found." });
        }

        stats.CountRequestCall(request.Id, "cancel");
        var answer = engine.TryCancel(request)
            ? FalHttp.Json(202, new JsonObject { ["status"] = "CANCELLATION_REQUESTED" }, request.Id)
            : FalHttp.Json(400, new JsonObject { ["status"] = "ALREADY_COMPLETED" }, request.Id);
        return FalHttp.Deliver(context, decision, answer);
    }

    private static IResult Status(FalRequest request, string baseUrl, bool logs, QueueEngine engine)
    {
        var position = request.State == RequestState.InQueue ? engine.PositionOf(request) : 0;
        var body = StatusView.For(request, baseUrl, logs, position);
        return FalHttp.Json(request.State == RequestState.Completed ? 200 : 202, body, request.Id);
    }

    private static IResult Result(FalRequest request)
    {
        lock (request.Gate)
        {
            if (request.State != RequestState.Completed)
            {
                return FalHttp.Json(400, new JsonObject { ["detail"] = "Request is still in progress" }, request.Id);
            }

            return request.Error is { } error
                ? FalHttp.Json(error.StatusCode, error.Body.DeepClone(), request.Id)
                : FalHttp.Json(200, request.Output!.DeepClone(), request.Id);
        }
    }

    private static bool WantsLogs(HttpRequest request) => request.Query["logs"].ToString() is "1" or "true";

    /// <summary>
    /// The client's idempotency scope: the <c>X-Idempotency-Key</c> header, else the input's
    /// <c>metadata.idempotency_key</c>. Counted only; like fal, FakeFal does not deduplicate.
    /// </summary>
    private static string? IdempotencyKey(HttpRequest request, JsonObject input)
    {
        var header = request.Headers["X-Idempotency-Key"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        return input["metadata"] is JsonObject meta && meta["idempotency_key"] is JsonValue v && v.TryGetValue<string>(out var key) && key.Length > 0
            ? key
            : null;
    }

    private static async Task<JsonObject?> ReadInputAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult ValidationError(string[] loc, string message, string type)
        => FalHttp.Json(422, new JsonObject
        {
            ["detail"] = new JsonArray(new JsonObject
            {
                ["loc"] = new JsonArray([.. loc.Select(l => (JsonNode)l)]),
                ["msg"] = message,
                ["type"] = type,
            }),
        });
}
