using System.Text.Json;
using System.Text.Json.Nodes;
using FakeFal.Options;
using FakeFal.Queue;
using FakeFal.Stats;
using FakeFal.Storage;

namespace FakeFal.Apis;

/// <summary>
/// Test-only control surface under <c>/_fake</c> (no auth; FakeFal is a local tool): read and
/// patch the options at runtime, reset everything (requests, stats, stored files), read the stats, read a request
/// (with the input it was submitted with), expire a request on demand.
/// </summary>
public static class ControlApi
{
    public static void MapControlApi(this WebApplication app)
    {
        var group = app.MapGroup("/_fake");
        group.MapGet("/config", (RuntimeSettings s) => Results.Json(RuntimeSettings.ToJson(s.Current)));
        group.MapPost("/config", ApplyConfigAsync);
        group.MapPost("/reset", (RuntimeSettings s, QueueEngine e, FakeFalStats st, FileStore files) =>
        {
            s.Reset();
            e.Reset();
            st.Reset();
            files.Clear();
            return Results.NoContent();
        });
        group.MapGet("/stats", (FakeFalStats st, QueueEngine e, RequestStore store, FileStore files, bool? requests) =>
        {
            var json = st.Snapshot(requests ?? true);
            var queues = new JsonObject();
            foreach (var (model, (waiting, running)) in e.Queues().OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                queues[model] = new JsonObject { ["in_queue"] = waiting, ["in_progress"] = running };
            }

            json["queues"] = queues;
            json["storage"]!["files"] = files.UploadedCount;
            json["known_requests"] = store.Count;
            return Results.Json(json);
        });
        group.MapGet("/requests/{id}", (string id, RequestStore store) =>
            store.Get(id) is { } r
                ? Results.Json(new JsonObject
                {
                    ["request_id"] = r.Id,
                    ["model"] = r.ModelId,
                    ["app"] = r.AppId,
                    ["state"] = r.State.ToString(),
                    ["canceled"] = r.Canceled,
                    ["idempotency_key"] = r.IdempotencyKey,
                    ["webhook_url"] = r.WebhookUrl,
                    ["input"] = r.Input.DeepClone(),
                    ["expires_at"] = r.ExpiresAt?.ToString("O"),
                    ["submitted_at"] = r.SubmittedAt.ToString("O"),
                    ["started_at"] = r.StartedAt?.ToString("O"),
                    ["completed_at"] = r.CompletedAt?.ToString("O"),
                })
                : Results.Problem(statusCode: 404, title: "Unknown request id"));
        group.MapPost("/requests/{id}/expire", (string id, RequestStore store) =>
            store.Expire(id) ? Results.NoContent() : Results.Problem(statusCode: 404, title: "Unknown request id"));
    }

    private static async Task<IResult> ApplyConfigAsync(HttpRequest request, RuntimeSettings settings, QueueEngine engine)
    {
        try
        {
            if (await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) is not JsonObject patch)
            {
                return Results.Problem(statusCode: 400, title: "The body must be a JSON object of option overrides.");
            }

            var applied = settings.Apply(patch);
            engine.PumpAll();
            return Results.Json(RuntimeSettings.ToJson(applied));
        }
        catch (Exception ex) when (ex is JsonException or System.ComponentModel.DataAnnotations.ValidationException)
        {
            return Results.Problem(statusCode: 400, title: "Invalid configuration patch.", detail: ex.Message);
        }
    }
}
