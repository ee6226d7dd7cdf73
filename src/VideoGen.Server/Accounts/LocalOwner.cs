using System.Security.Claims;

namespace VideoGen.Server.Accounts;

/// <summary>
/// The built-in owner of single-user mode (loopback, no account): every request acts as it, with the admin role.
/// Rows created before accounts existed belong to it too. It is not an account: nobody can sign in as it, and
/// once an account exists only admins see its videos.
/// </summary>
public static class LocalOwner
{
    /// <summary>The owner id of the local owner's videos and uploads (no account can have it: account ids are GUIDs).</summary>
    public const string Id = "local";

    public const string AuthenticationType = "SingleUser";

    public static ClaimsPrincipal Principal { get; } = new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, Id),
            new Claim(ClaimTypes.Name, "local owner"),
            new Claim(ClaimTypes.Role, Roles.Admin),
        ],
        AuthenticationType));
}
