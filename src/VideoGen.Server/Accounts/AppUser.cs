using Microsoft.AspNetCore.Identity;

namespace VideoGen.Server.Accounts;

/// <summary>
/// An account. The id (a GUID string) is the owner id written on every video and upload it creates.
/// A disabled account cannot sign in and its API keys stop working; its videos stay (admins still see them).
/// </summary>
public sealed class AppUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When an admin disabled the account; null while it is active.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}
