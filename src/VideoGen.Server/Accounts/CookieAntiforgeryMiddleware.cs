using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Cookie-authenticated requests that change something (POST, PUT, PATCH, DELETE) must carry the antiforgery
/// token in the <see cref="HeaderName"/> header (the page reads it from <c>GET /api/account/me</c>); without it
/// they are refused with 400. API-key requests carry no ambient credential and need none; neither does
/// single-user mode (its listener is loopback only and the JSON API needs a CORS preflight another site cannot pass).
/// </summary>
internal sealed class CookieAntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery)
{
    public const string HeaderName = "X-CSRF-Token";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
            && context.User.Identity is { IsAuthenticated: true, AuthenticationType: var type } && type == IdentityConstants.ApplicationScheme)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Missing or invalid antiforgery token",
                    detail: $"Requests signed in with the session cookie must send the token from GET /api/account/me in the {HeaderName} header.")
                    .ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    }
}
