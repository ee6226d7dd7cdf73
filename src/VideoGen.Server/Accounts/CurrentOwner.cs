using System.Security.Claims;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Who the current request acts for: the owner id to write on what it creates and to filter what it reads, and
/// whether it is an admin (admins see everything). Signed-in users, API keys and single-user mode's local owner
/// all end up here. Endpoints that need an owner only run for authenticated requests (the fallback policy).
/// </summary>
public sealed class CurrentOwner(IHttpContextAccessor http)
{
    private ClaimsPrincipal User => http.HttpContext?.User ?? throw new InvalidOperationException("No current request.");

    /// <summary>The owner id: an account id, or <see cref="LocalOwner.Id"/> in single-user mode.</summary>
    public string Id => User.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("The request is not authenticated; the endpoint must require authorization.");

    public bool IsAdmin => User.IsInRole(Roles.Admin);

    public bool IsLocalOwner => Id == LocalOwner.Id;

    /// <summary>Whether the caller may see (and act on) something owned by <paramref name="ownerId"/>.</summary>
    public bool CanSee(string? ownerId) => IsAdmin || string.Equals(ownerId, Id, StringComparison.Ordinal);
}
