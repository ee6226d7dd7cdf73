using System.Net;

namespace VideoGen.Server.Accounts;

/// <summary>
/// In single-user mode every unauthenticated request from loopback acts as <see cref="LocalOwner"/> (an admin). A
/// request from another address (a direct connection, or a client a trusted proxy forwards) acts as the local owner
/// only with the explicit opt-out, since the operator chose that; without it such a request stays anonymous (401).
/// </summary>
internal sealed class SingleUserMiddleware(RequestDelegate next, AccountsState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true && await state.IsSingleUserAsync(context.RequestAborted)
            && (state.ServesBeyondLoopback || IsLoopbackOrInMemory(context.Connection.RemoteIpAddress)))
        {
            context.User = LocalOwner.Principal;
        }
        await next(context);
    }

    private static bool IsLoopbackOrInMemory(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);
}
