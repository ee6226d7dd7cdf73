namespace VideoGen.Server.Housekeeping;

/// <summary>
/// Endpoint filter for routes that start new work (create a video, upload an image): while
/// <see cref="DiskSpaceGuard.IsLow"/>, they answer 503 with a problem saying why, and store nothing.
/// </summary>
public sealed class RequiresDiskSpace(DiskSpaceGuard disk) : IEndpointFilter
{
    public const string Title = "Server low on disk space";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!disk.IsLow())
        {
            return await next(context);
        }
        context.HttpContext.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: Title,
            detail: "The server is low on disk space and accepts no new videos or uploads until its operator frees some. Nothing was stored.");
    }
}
