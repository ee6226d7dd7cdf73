using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;
using VideoGen.Server.Accounts;

namespace VideoGen.Server.Limits;

/// <summary>
/// <c>Idempotency-Key</c> on a creating route: the same key and body within 24 hours answers the first answer again
/// (status, body, Location; with <c>Idempotent-Replayed: true</c>) and runs nothing; the same key with another body is
/// 422; keys are per user and per route. Only answers that created something are kept (2xx, and the 503 of a video stored
/// but not yet queued); a refused request lets its key go, so a retry runs again. Requests without the header are
/// untouched.
/// </summary>
public sealed class IdempotencyFilter(string scope, Func<IServiceProvider, int> maxBodyBytes) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyKeys.HeaderName, out var values))
        {
            return await next(context);
        }
        var key = values.Count == 1 ? values[0] ?? "" : "";
        if (!IdempotencyKeys.IsValid(key))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeys.HeaderName] = [$"Send one {IdempotencyKeys.HeaderName} of 1 to {IdempotencyKeys.MaxKeyLength} visible ASCII characters (a UUID, say)."],
            });
        }
        var ct = http.RequestAborted;
        var fingerprint = await RequestFingerprint.ComputeAsync(http.Request, maxBodyBytes(http.RequestServices), ct);
        if (fingerprint is null)
        {
            // A body the route will refuse (too large): it creates nothing, so there is nothing to remember.
            return await next(context);
        }

        var owner = http.RequestServices.GetRequiredService<CurrentOwner>().Id;
        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var claim = await store.ClaimAsync(owner, scope, key, fingerprint, ct);
        switch (claim.Kind)
        {
            case IdempotencyClaimKind.Replay:
                return new IdempotentReplay(claim.Existing!);
            case IdempotencyClaimKind.DifferentBody:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency key reused",
                    detail: $"This {IdempotencyKeys.HeaderName} was already used with a different request body; use a new key for a new request.");
            case IdempotencyClaimKind.StillRunning:
                http.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Request in progress",
                    detail: $"A request with this {IdempotencyKeys.HeaderName} is still being processed; retry shortly to get its answer.");
        }

        var kept = false;
        try
        {
            var result = await next(context);
            var answer = await ResponseCapture.ExecuteAsync(http, result);
            // Stored before it is sent: a client gone mid-answer retries and gets it, instead of creating a second video.
            if (answer.Status is >= 200 and < 300 or StatusCodes.Status503ServiceUnavailable)
            {
                await store.CompleteAsync(owner, scope, key, answer.Status, answer.ContentType, answer.Location, Encoding.UTF8.GetString(answer.Body), CancellationToken.None);
                kept = true;
            }
            await http.Response.Body.WriteAsync(answer.Body, ct);
            return Results.Empty;
        }
        finally
        {
            if (!kept)
            {
                await store.ReleaseAsync(owner, scope, key, CancellationToken.None);
            }
        }
    }
}

/// <summary>Answers a stored first answer again.</summary>
internal sealed class IdempotentReplay(IdempotencyRecord record) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = record.StatusCode ?? StatusCodes.Status200OK;
        response.Headers[IdempotencyKeys.ReplayedHeaderName] = "true";
        if (record.Location is not null)
        {
            response.Headers.Location = record.Location;
        }
        if (record.ContentType is not null)
        {
            response.ContentType = record.ContentType;
        }
        await response.WriteAsync(record.ResponseBody ?? "", Encoding.UTF8, httpContext.RequestAborted);
    }
}

/// <summary>Runs a handler's result into a buffer (status and headers go to the response as usual), so its answer can be stored before the body is sent.</summary>
internal static class ResponseCapture
{
    public sealed record Answer(int Status, string? ContentType, string? Location, byte[] Body);

    public static async Task<Answer> ExecuteAsync(HttpContext http, object? result)
    {
        var response = http.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            switch (result)
            {
                case IResult r:
                    await r.ExecuteAsync(http);
                    break;
                case null:
                    break;
                default:
                    await TypedResults.Ok(result).ExecuteAsync(http);
                    break;
            }
            await response.BodyWriter.FlushAsync(http.RequestAborted);
        }
        finally
        {
            response.Body = original;
        }
        return new Answer(response.StatusCode, response.ContentType, response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, buffer.ToArray());
    }
}

/// <summary>
/// The SHA-256 of what makes two requests "the same": the body bytes; for multipart bodies with the boundary taken out
/// (clients pick a new random boundary per request, so the same file sent twice still matches). The body is buffered
/// so the route reads it afterwards. Null when the body is longer than the route accepts.
/// </summary>
internal static class RequestFingerprint
{
    public static async Task<string?> ComputeAsync(HttpRequest request, int maxBodyBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBodyBytes)
        {
            return null;
        }
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: maxBodyBytes + (128 * 1024));
        byte[]? body;
        try
        {
            body = await Apis.CappedBody.ReadAsync(request, maxBodyBytes, ct);
        }
        catch (IOException)
        {
            body = null; // Over the buffer limit: the route answers 413.
        }
        request.Body.Position = 0;
        if (body is null)
        {
            return null;
        }
        var content = (ReadOnlySpan<byte>)body;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && HeaderUtilities.RemoveQuotes(type.Boundary) is { Length: > 0 } boundary)
        {
            return Convert.ToHexStringLower(SHA256.HashData(Without(content, Encoding.ASCII.GetBytes(boundary.ToString()))));
        }
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    private static byte[] Without(ReadOnlySpan<byte> content, ReadOnlySpan<byte> token)
    {
        var result = new MemoryStream(content.Length);
        while (content.IndexOf(token) is var at && at >= 0)
        {
            result.Write(content[..at]);
            content = content[(at + token.Length)..];
        }
        result.Write(content);
        return result.ToArray();
    }
}
