using Microsoft.Extensions.Options;

namespace VideoGen.Server.Accounts;

/// <summary>Who may create an account through <c>POST /api/account/signup</c>.</summary>
public enum SignUpPolicy
{
    Open,
    InviteOnly,
    Closed,
}

/// <summary>The configuration names of <see cref="SignUpPolicy"/>.</summary>
public static class SignUpPolicies
{
    public static string Name(SignUpPolicy policy) => policy switch
    {
        SignUpPolicy.Open => "open",
        SignUpPolicy.InviteOnly => "invite-only",
        _ => "closed",
    };

    public static bool TryParse(string? text, out SignUpPolicy policy)
    {
        foreach (var candidate in Enum.GetValues<SignUpPolicy>())
        {
            if (string.Equals(Name(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                policy = candidate;
                return true;
            }
        }
        policy = SignUpPolicy.Closed;
        return false;
    }
}

/// <summary>Checks the sign-up policy name and that a configured admin email comes with a password.</summary>
internal sealed class AccountsOptionsValidator : IValidateOptions<AccountsOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountsOptions options)
    {
        var failures = new List<string>();
        if (!SignUpPolicies.TryParse(options.SignUp, out _))
        {
            failures.Add($"VideoGen:Accounts:SignUp is '{options.SignUp}'; set it to 'open', 'invite-only' (the default) or 'closed'.");
        }
        if (!string.IsNullOrWhiteSpace(options.AdminEmail) && string.IsNullOrEmpty(options.AdminPassword))
        {
            failures.Add("VideoGen:Accounts:AdminEmail is set but VideoGen:Accounts:AdminPassword is empty; set the password " +
                "(there is no default), or create the admin with `videogen users add --admin EMAIL`.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
