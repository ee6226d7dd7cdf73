using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace VideoGen.Server.Errors;

/// <summary>
/// The last line of defence: turns any exception into RFC 7807 problem details. Request
/// errors found by the framework (<see cref="BadHttpRequestException"/>: bad route values,
/// unreadable bodies, oversized requests) keep their 4xx status; everything else is a 500 whose
/// body says nothing about internals (the log has the details).
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // The client left; there is no one to answer.
        }
        var status = exception switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            _ => StatusCodes.Status500InternalServerError,
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status >= 500 ? "Internal server error" : "Bad request",
                Detail = status >= 500 ? "Something went wrong on our side; it has been logged." : exception.Message,
            },
        });
    }
}
