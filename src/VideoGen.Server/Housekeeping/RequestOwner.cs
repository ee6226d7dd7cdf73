using System.Security.Claims;

namespace VideoGen.Server.Housekeeping;

/// <summary>
/// Who a request acts for, as a string owner id: the signed-in user's id when accounts
/// authenticate the request, else <see cref="Local"/> (single-user mode: one local owner).
/// Quotas and owner checks go through here, so accounts only have to put the user on the request.
/// </summary>
public static class RequestOwner
{
    /// <summary>The one owner of single-user mode.</summary>
    public const string Local = "local";

    public static string Of(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } id
            ? id
            : Local;

    /// <summary>Whether <paramref name="owner"/> may see a row owned by <paramref name="rowOwner"/> (rows from before accounts have none: the local owner's).</summary>
    public static bool Owns(string owner, string? rowOwner) => string.Equals(rowOwner ?? Local, owner, StringComparison.Ordinal);
}
