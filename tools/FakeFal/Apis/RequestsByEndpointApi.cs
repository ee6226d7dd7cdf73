using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FakeFal.Queue;
using FakeFal.Stats;

namespace FakeFal.Apis;

/// <summary>
/// fal's platform API "List requests by endpoint(s)", <c>GET /v1/models/requests/by-endpoint</c> (fal serves it at
/// <c>https://api.fal.ai/v1</c>): the caller's requests to one or more endpoints, newest end first, as fal documents
/// it — <c>endpoint_id</c> (repeated or comma-separated, required), <c>start</c> / <c>end</c> (ISO 8601, end
/// exclusive; start defaults to 24 hours ago, or 90 days when <c>request_id</c> is given), <c>status</c>
/// (<c>success</c>, <c>error</c>, <c>user_error</c>), <c>request_id</c>, <c>limit</c> (default 50, 1–100),
/// <c>cursor</c> (the page number, base64) and <c>expand=payloads</c> (adds <c>json_input</c> / <c>json_output</c>).
/// Answers <c>{items:[{request_id, endpoint_id, started_at, sent_at, ended_at, status_code, duration, json_input?,
/// json_output?}], next_cursor, has_more}</c>. Only requests that have ended are listed (fal's items carry
/// <c>ended_at</c>, <c>status_code</c> and <c>duration</c>, and sort by end time), and the time range applies to
/// <c>sent_at</c>. Requests forgotten by the control API's expire are gone here too.
/// </summary>
public static class RequestsByEndpointApi
{
    public const string Path = "/v1/models/requests/by-endpoint";

    public static void MapRequestsByEndpointApi(this WebApplication app) => app.MapGet(Path, List);

    private static IResult List(HttpContext context, RequestStore store, FakeFalStats stats, TimeProvider time)
    {
        stats.CountCall("lookup");
        if (!FalHttp.IsAuthorized(context.Request))
        {
            return FalHttp.Unauthorized();
        }

        var query = context.Request.Query;
        var endpoints = query["endpoint_id"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        if (endpoints.Count is 0 or > 50)
        {
            return Invalid("endpoint_id", "Give 1 to 50 endpoint ids.");
        }

        string? requestId = query["request_id"];
        var now = time.GetUtcNow();
        if (!TryTime(query["start"], now - (requestId is null ? TimeSpan.FromHours(24) : TimeSpan.FromDays(90)), out var start)
            || !TryTime(query["end"], now, out var end))
        {
            return Invalid("start", "start and end must be ISO 8601 dates.");
        }

        var limit = 50;
        if (query["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return Invalid("limit", "limit must be between 1 and 100.");
        }

        var page = 1;
        if (query["cursor"].ToString() is { Length: > 0 } c && !TryPage(c, out page))
        {
            return Invalid("cursor", "Unknown cursor.");
        }

        string? status = query["status"];
        if (status is not (null or "success" or "error" or "user_error"))
        {
            return Invalid("status", "status must be success, error or user_error.");
        }

        var payloads = query["expand"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).Contains("payloads");
        var matching = store.Snapshot()
            .Select(r => (Request: r, Ended: Ended(r)))
            .Where(x => x.Ended is not null && endpoints.Contains(x.Request.ModelId)
                && x.Request.SubmittedAt >= start && x.Request.SubmittedAt < end
                && (requestId is null || x.Request.Id == requestId)
                && (status is null || StatusOf(x.Ended.Value.Error) == status))
            .OrderByDescending(x => x.Ended!.Value.At).ThenBy(x => x.Request.Id, StringComparer.Ordinal)
            .ToList();
        var items = new JsonArray();
        foreach (var (request, ended) in matching.Skip((page - 1) * limit).Take(limit))
        {
            items.Add(Item(request, ended!.Value, payloads));
        }

        var hasMore = matching.Count > page * limit;
        return FalHttp.Json(200, new JsonObject
        {
            ["items"] = items,
            ["next_cursor"] = hasMore ? Convert.ToBase64String(Encoding.ASCII.GetBytes((page + 1).ToString(CultureInfo.InvariantCulture))) : null,
            ["has_more"] = hasMore,
        });
    }

    private readonly record struct Ending(DateTimeOffset At, DateTimeOffset? StartedAt, JsonObject? Output, RequestError? Error);

    private static Ending? Ended(FalRequest request)
    {
        lock (request.Gate)
        {
            return request.State == RequestState.Completed && request.CompletedAt is { } at
                ? new Ending(at, request.StartedAt, request.Output, request.Error)
                : null;
        }
    }

    private static JsonObject Item(FalRequest request, Ending ended, bool payloads)
    {
        var item = new JsonObject
        {
            ["request_id"] = request.Id,
            ["endpoint_id"] = request.ModelId,
            ["started_at"] = ended.StartedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["sent_at"] = request.SubmittedAt.ToString("O", CultureInfo.InvariantCulture),
            ["ended_at"] = ended.At.ToString("O", CultureInfo.InvariantCulture),
            ["status_code"] = ended.Error?.StatusCode ?? 200,
            ["duration"] = Math.Round((ended.At - (ended.StartedAt ?? request.SubmittedAt)).TotalSeconds, 3),
        };
        if (payloads)
        {
            item["json_input"] = request.Input.DeepClone();
            item["json_output"] = ended.Output?.DeepClone() ?? ended.Error?.Body.DeepClone();
        }

        return item;
    }

    private static string StatusOf(RequestError? error) => error switch
    {
        null => "success",
        { StatusCode: >= 400 and < 500 } => "user_error",
        _ => "error",
    };

    private static bool TryTime(string? value, DateTimeOffset fallback, out DateTimeOffset time)
    {
        if (string.IsNullOrEmpty(value))
        {
            time = fallback;
            return true;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    private static bool TryPage(string cursor, out int page)
    {
        page = 0;
        try
        {
            return int.TryParse(Encoding.ASCII.GetString(Convert.FromBase64String(cursor)), NumberStyles.None, CultureInfo.InvariantCulture, out page) && page >= 1;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IResult Invalid(string field, string message) => FalHttp.Json(422, new JsonObject
    {
        ["detail"] = new JsonArray(new JsonObject { ["loc"] = new JsonArray("query", field), ["msg"] = message, ["type"] = "value_error" }),
    });
}
