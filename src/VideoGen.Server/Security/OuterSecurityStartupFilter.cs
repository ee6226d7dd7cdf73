using Microsoft.AspNetCore.Mvc;

namespace VideoGen.Server.Security;

/// <summary>
/// The outermost middleware, wrapped around even the framework's host filtering: sets the security headers on
/// every response, and turns host filtering's bare 400 into problem details. Registered first among the
/// startup filters (the first one wraps all others).
/// </summary>
internal sealed class OuterSecurityStartupFilter(SecurityHeaders headers) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            headers.Apply(context.Response);
            await inner(context);
            if (IsHostRefusal(context))
            {
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Host not served",
                        Detail = "This server does not answer to the host name in the request. Operators: see VideoGen:Security:AllowedHosts.",
                    },
                });
            }
        });
        next(app);
    };

    /// <summary>Host filtering answers 400 with no body before routing runs; every other 400 in this app has an endpoint or a body.</summary>
    private static bool IsHostRefusal(HttpContext context) =>
        context.Response.StatusCode == StatusCodes.Status400BadRequest
        && !context.Response.HasStarted
        && context.GetEndpoint() is null
        && context.Response.ContentLength is null or 0;
}
