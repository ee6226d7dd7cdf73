using Microsoft.AspNetCore.Authorization;

namespace VideoGen.Server.Accounts;

/// <summary>
/// The fallback authorization rule for every endpoint that says nothing itself: an authenticated caller (a signed-in
/// user, an API key, or single-user mode's local owner), except on the public paths listed here. Static files (the
/// page) are served before authorization and are public; the account endpoints mark themselves anonymous.
/// </summary>
internal static class PublicRoutes
{
    /// <summary>Paths anyone may call: health probes (load balancers) and the fal webhook (verified by its signature).</summary>
    public static readonly string[] Prefixes = ["/health", "/webhooks/fal"];

    public static bool IsPublic(PathString path) =>
        Prefixes.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static AuthorizationPolicy FallbackPolicy { get; } = new AuthorizationPolicyBuilder()
        .AddRequirements(new AuthenticatedOrPublicRequirement())
        .Build();
}

/// <summary>Met by an authenticated caller, or by any caller on a <see cref="PublicRoutes"/> path.</summary>
internal sealed class AuthenticatedOrPublicRequirement : AuthorizationHandler<AuthenticatedOrPublicRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AuthenticatedOrPublicRequirement requirement)
    {
        var isPublic = context.Resource is HttpContext http && PublicRoutes.IsPublic(http.Request.Path);
        if (isPublic || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
