using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Accounts;

/// <summary>Settings under <c>VideoGen:Accounts</c>: who may sign up, lockout, sessions, and the optional first admin.</summary>
public sealed class AccountsOptions
{
    public const string Section = "VideoGen:Accounts";

    /// <summary>
    /// Who may create an account through the API and page: <c>open</c> (anyone), <c>invite-only</c> (with an
    /// invitation code an admin created) or <c>closed</c> (only <c>videogen users add</c>).
    /// <value>The default value is <c>invite-only</c>.</value>
    /// </summary>
    public string SignUp { get; set; } = "invite-only";

    /// <summary>
    /// Lets <c>serve</c> listen beyond loopback with no account, every request acting as the local owner. Only for a
    /// server behind your own authenticating proxy. <value>The default value is false (such a start is refused).</value>
    /// </summary>
    public bool AllowSingleUserBeyondLoopback { get; set; }

    /// <summary>Failed sign-ins in a row that lock an account. <value>The default value is 5.</value></summary>
    [Range(1, 100, ErrorMessage = "VideoGen:Accounts:MaxFailedSignIns must be from 1 to 100.")]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked. <value>The default value is 15 minutes.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "VideoGen:Accounts:LockoutDuration must be from 00:00:01 to 30.00:00:00.")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Shortest accepted password (no other composition rule). <value>The default value is 10.</value></summary>
    [Range(8, 128, ErrorMessage = "VideoGen:Accounts:MinPasswordLength must be from 8 to 128.")]
    public int MinPasswordLength { get; set; } = 10;

    /// <summary>How long a sign-in lasts without use (sliding). <value>The default value is 14 days.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "VideoGen:Accounts:SessionLifetime must be from 00:01:00 to 365.00:00:00.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long an invitation code can be used. <value>The default value is 7 days.</value></summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00", ErrorMessage = "VideoGen:Accounts:InvitationLifetime must be from 00:01:00 to 365.00:00:00.")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// With <see cref="AdminPassword"/>: an admin account created at start when no account has this email (for
    /// deployments configured by environment). There is no default password. <value>The default value is null.</value>
    /// </summary>
    [EmailAddress(ErrorMessage = "VideoGen:Accounts:AdminEmail must be an email address.")]
    public string? AdminEmail { get; set; }

    /// <summary>The password of <see cref="AdminEmail"/> (use a secret store or environment variable). <value>The default value is null.</value></summary>
    public string? AdminPassword { get; set; }

    /// <summary>The parsed <see cref="SignUp"/>.</summary>
    public SignUpPolicy SignUpPolicy => SignUpPolicies.TryParse(SignUp, out var p) ? p : SignUpPolicy.Closed;
}
