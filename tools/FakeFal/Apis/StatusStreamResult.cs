using System.Text;
using FakeFal.Queue;

namespace FakeFal.Apis;

/// <summary>
/// <c>GET …/status/stream</c>: server-sent events, one <c>data:</c> status document per change
/// (state, queue position or logs), ending after the COMPLETED document — the shape
/// <c>@fal-ai/client</c>'s streaming status mode reads. Bounded to 30 minutes.
/// </summary>
public sealed class StatusStreamResult(FalRequest request, string baseUrl, bool logs, QueueEngine engine, bool malformed) : IResult
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(30);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers[FalHttp.RequestIdHeader] = request.Id;
        var ct = httpContext.RequestAborted;
        if (malformed)
        {
            await WriteAsync(response, "data: {\"status\": \"IN_PROG\n\n", ct);
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(MaxDuration);
        string? last = null;
        try
        {
            while (!deadline.IsCancellationRequested)
            {
                var changed = request.WaitForChangeAsync();
                var position = request.State == RequestState.InQueue ? engine.PositionOf(request) : 0;
                var json = StatusView.For(request, baseUrl, logs, position);
                var text = json.Text();
                if (text != last)
                {
                    await WriteAsync(response, $"data: {text}\n\n", deadline.Token);
                    last = text;
                }

                if (json["status"]?.GetValue<string>() == "COMPLETED")
                {
                    return;
                }

                await Task.WhenAny(changed, Task.Delay(Poll, deadline.Token));
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the stream hit its bound; either ends the stream.
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await response.Body.FlushAsync(ct);
    }
}
