using System.Net;

namespace VideoGen.Server.Accounts;

/// <summary>
/// In single-user mode every unauthenticated request from loopback acts as <see cref="LocalOwner"/> (an admin). A
/// request from another address (possible only with the explicit opt-out) acts as the local owner too, since
/// the operator chose that; a direct remote connection without it never gets here (the guard refused to start).
/// </summary>
internal sealed class SingleUserMiddleware(RequestDelegate next, AccountsState state)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true && await state.IsSingleUserAsync(context.RequestAborted)
            && (state.LoopbackOnly is false || IsLoopbackOrInMemory(context.Connection.RemoteIpAddress)))
        {
            context.User = LocalOwner.Principal;
        }
        await next(context);
    }

    private static bool IsLoopbackOrInMemory(IPAddress? remote) => remote is null || IPAddress.IsLoopback(remote);
}
