namespace FakeFal.Apis;

/// <summary>
/// An answer held back for a while after the request was processed, as when fal (or a gateway in front of it) is
/// slow to answer a request it already accepted: a caller that times out first does not know the outcome. A caller
/// that gives up ends the wait; nothing is sent then.
/// </summary>
public sealed record StalledResult(IResult Answer, TimeSpan Delay) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var time = httpContext.RequestServices.GetRequiredService<TimeProvider>();
        try
        {
            await Task.Delay(Delay, time, httpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await Answer.ExecuteAsync(httpContext);
    }
}
