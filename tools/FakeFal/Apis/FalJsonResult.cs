using System.Globalization;
using System.Text;

namespace FakeFal.Apis;

/// <summary>
/// A JSON answer kept as text so a fault can truncate it; carries fal's <c>x-fal-request-id</c>
/// and, for 429, <c>Retry-After</c>.
/// </summary>
public sealed record FalJsonResult(int StatusCode, string Body, string? RequestId, int RetryAfterSeconds = 0) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "application/json";
        if (RequestId is not null)
        {
            response.Headers[FalHttp.RequestIdHeader] = RequestId;
        }

        if (RetryAfterSeconds > 0)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (StatusCode is >= 400 and < 500 and not 429)
        {
            response.Headers["X-Fal-Retryable"] = "false";
        }
        else if (StatusCode >= 500 || StatusCode == 429)
        {
            response.Headers["X-Fal-Retryable"] = "true";
        }

        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Body), httpContext.RequestAborted);
    }
}
