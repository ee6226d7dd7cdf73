using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Account operations shared by the CLI (<c>videogen users …</c>), configuration (first admin) and the API (sign-up):
/// create, list, disable/enable, reset a password, place in a tier. Failures are returned as messages a person can act on.
/// </summary>
public sealed class UserAdministration(UserManager<AppUser> users, RoleManager<IdentityRole> roles, AccountsState state, TimeProvider time)
{
    public async Task<(AppUser? User, IReadOnlyList<string> Errors)> CreateAsync(string email, string password, bool admin)
    {
        email = email.Trim();
        var user = new AppUser { UserName = email, Email = email, CreatedAt = time.GetUtcNow(), LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, Messages(created));
        }
        state.MarkAccountsExist();
        if (admin)
        {
            await EnsureAdminRoleAsync();
            var added = await users.AddToRoleAsync(user, Roles.Admin);
            if (!added.Succeeded)
            {
                return (null, Messages(added));
            }
        }
        return (user, []);
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken ct)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        var admins = (await users.GetUsersInRoleAsync(Roles.Admin)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        return all.Select(u => new UserSummary(u.Id, u.Email ?? u.UserName ?? "", admins.Contains(u.Id), u.CreatedAt, u.DisabledAt, u.LockoutEnd, u.Tier)).ToList();
    }

    public Task<AppUser?> FindAsync(string email) => users.FindByEmailAsync(email.Trim());

    /// <summary>Disables (or re-enables) an account: sign-in is refused, sessions end at their next check, API keys stop working.</summary>
    public async Task<IReadOnlyList<string>> SetDisabledAsync(string email, bool disabled)
    {
        var user = await FindAsync(email);
        if (user is null)
        {
            return [$"No account has the email '{email}'."];
        }
        user.DisabledAt = disabled ? user.DisabledAt ?? time.GetUtcNow() : null;
        var result = await users.UpdateAsync(user);
        if (result.Succeeded)
        {
            result = await users.UpdateSecurityStampAsync(user);
        }
        return Messages(result);
    }

    /// <summary>Places the account in a configured tier (null: back to the default tier). Its limit overrides stay.</summary>
    public async Task<IReadOnlyList<string>> SetTierAsync(string email, string? tier, Limits.Tiers tiers)
    {
        var user = await FindAsync(email);
        if (user is null)
        {
            return [$"No account has the email '{email}'."];
        }
        if (tier is not null && !tiers.Exists(tier))
        {
            return [$"No tier is named '{tier}'; configured tiers: {string.Join(", ", tiers.Names)}."];
        }
        user.Tier = tier?.Trim().ToLowerInvariant();
        return Messages(await users.UpdateAsync(user));
    }

    /// <summary>Sets a new password, ends existing sessions and clears a lockout.</summary>
    public async Task<IReadOnlyList<string>> ResetPasswordAsync(string email, string password)
    {
        var user = await FindAsync(email);
        if (user is null)
        {
            return [$"No account has the email '{email}'."];
        }
        foreach (var validator in users.PasswordValidators)
        {
            var valid = await validator.ValidateAsync(users, user, password);
            if (!valid.Succeeded)
            {
                return Messages(valid);
            }
        }
        var result = await users.RemovePasswordAsync(user);
        if (result.Succeeded)
        {
            result = await users.AddPasswordAsync(user, password);
        }
        if (result.Succeeded)
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }
        return Messages(result);
    }

    private async Task EnsureAdminRoleAsync()
    {
        if (!await roles.RoleExistsAsync(Roles.Admin))
        {
            var created = await roles.CreateAsync(new IdentityRole(Roles.Admin));
            if (!created.Succeeded && !await roles.RoleExistsAsync(Roles.Admin))
            {
                throw new InvalidOperationException("Could not create the admin role: " + string.Join(" ", Messages(created)));
            }
        }
    }

    private static IReadOnlyList<string> Messages(IdentityResult result) =>
        result.Succeeded ? [] : result.Errors.Select(e => e.Description).ToList();
}

/// <summary>One account as the CLI and the admin see it (no secrets).</summary>
public sealed record UserSummary(string Id, string Email, bool IsAdmin, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt, DateTimeOffset? LockoutEnd, string? Tier = null);
