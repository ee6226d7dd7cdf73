namespace VideoGen.Server.Accounts;

/// <summary>The roles. Users without a role are ordinary users: they see and change only what they own.</summary>
public static class Roles
{
    /// <summary>The admin API (<c>/api/admin/*</c>), invitations, and every user's videos.</summary>
    public const string Admin = "admin";

    /// <summary>The authorization policy name that requires <see cref="Admin"/>.</summary>
    public const string AdminPolicy = "admin";
}
