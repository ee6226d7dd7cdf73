using System.Text.Json.Nodes;
using FakeFal.Faults;
using FakeFal.Options;

namespace FakeFal.Apis;

/// <summary>
/// What every queue route shares: the <c>Authorization: Key …</c> check, the base URL that
/// returned URLs are built from, and applying an injected transport fault to an answer.
/// </summary>
public static class FalHttp
{
    public const string RequestIdHeader = "x-fal-request-id";

    public static bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Key ", StringComparison.Ordinal) && header[4..].Trim().Length > 0;
    }

    public static IResult Unauthorized() => Json(401, new JsonObject
    {
        ["detail"] = "Missing or invalid Authorization header; expected 'Key <your fal key>'.",
    });

    public static string BaseUrl(HttpRequest request, FakeFalOptions options)
        => options.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static IResult Json(int status, JsonNode body, string? requestId = null)
        => new FalJsonResult(status, body.Text(), requestId);

    /// <summary>Answers that replace the real one before it is computed (429, 5xx not after acceptance).</summary>
    public static IResult? Rejection(TransportDecision decision)
        => decision.Fault switch
        {
            TransportFault.RateLimit => new FalJsonResult(429, new JsonObject { ["detail"] = "Too many requests; slow down." }.Text(), null, decision.RetryAfterSeconds),
            TransportFault.ServerError when !decision.AfterAccept => ServerError(decision),
            _ => null,
        };

    /// <summary>
    /// Applies drop / malformed JSON / a server error after acceptance / a stall to an answer that was computed (and
    /// whose side effects happened).
    /// </summary>
    public static IResult Deliver(HttpContext context, TransportDecision decision, IResult answer)
    {
        switch (decision.Fault)
        {
            case TransportFault.Drop:
                context.Abort();
                return Results.Empty;
            case TransportFault.ServerError:
                return ServerError(decision);
            case TransportFault.Stall:
                return new StalledResult(answer, decision.StallDelay);
            case TransportFault.MalformedJson when answer is FalJsonResult json:
                return json with { Body = json.Body[..(json.Body.Length / 2)] };
            case TransportFault.MalformedJson:
                return new FalJsonResult(200, "{\"status\": \"IN_PROG", null);
            default:
                return answer;
        }
    }

    /// <summary>fal's own JSON error, or the HTML page a gateway or CDN in front of it answers with.</summary>
    private static IResult ServerError(TransportDecision decision)
        => decision.HtmlBody
            ? new GatewayErrorPage(decision.StatusCode)
            : new FalJsonResult(decision.StatusCode, new JsonObject { ["detail"] = "Upstream service unavailable." }.Text(), null);

    public static async Task DelayAsync(TransportDecision decision, TimeProvider time, CancellationToken ct)
    {
        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, time, ct);
        }
    }
}
