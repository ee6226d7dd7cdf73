using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Hosting;

namespace VideoGen.Server.Cli;

/// <summary>
/// <c>videogen users add|list|disable|enable|reset-password|tier</c>: account administration straight on the app database
/// (same configuration as <c>serve</c>, so run it where the server's DataDir or database is). Applies migrations first.
/// Without <c>--password</c>, <c>add</c> and <c>reset-password</c> generate a password and print it once.
/// Exit codes: 0 done, 1 refused (e.g. unknown email, password too short), 2 bad arguments.
/// </summary>
public static class UsersCommand
{
    public const string Help = """
        videogen users add [--admin] EMAIL [--password P]   create an account (--admin: with the admin role)
        videogen users list                                  list accounts
        videogen users disable EMAIL | enable EMAIL          stop (or allow again) sign-in and API keys
        videogen users reset-password EMAIL [--password P]   set a new password, end sessions, clear a lockout
        videogen users tier EMAIL TIER                       place the account in a tier (VideoGen:Tiers; 'default' for the default tier)
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parsed = UsersArgs.Parse(args, out var problem);
        if (parsed is null)
        {
            await error.WriteLineAsync("error: " + problem);
            await error.WriteLineAsync();
            await error.WriteLineAsync(Help);
            return 2;
        }

        using var host = VideoGenHost.BuildWorker(parsed.HostArgs, runWorkers: false);
        ConfigurationError.ValidateNow(host.Services);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = host.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();

        switch (parsed.Action)
        {
            case "add":
            {
                var password = parsed.Password ?? SecretTokens.NewPassword();
                var (user, errors) = await admin.CreateAsync(parsed.Email!, password, parsed.Admin);
                if (user is null)
                {
                    return await FailAsync(error, errors);
                }
                await output.WriteLineAsync($"Created {(parsed.Admin ? "admin" : "user")} {user.Email} (id {user.Id}).");
                await PrintGeneratedAsync(output, parsed.Password, password);
                return 0;
            }
            case "list":
                foreach (var u in await admin.ListAsync(CancellationToken.None))
                {
                    var state = u.DisabledAt is not null ? "disabled" : u.LockoutEnd > DateTimeOffset.MinValue && u.LockoutEnd is not null ? "locked-until-" + u.LockoutEnd.Value.ToString("O") : "active";
                    await output.WriteLineAsync($"{u.Email}\t{(u.IsAdmin ? "admin" : "user")}\t{state}\t{u.CreatedAt:O}\t{u.Id}\t{u.Tier ?? "default"}");
                }
                return 0;
            case "disable" or "enable":
            {
                var errors = await admin.SetDisabledAsync(parsed.Email!, parsed.Action == "disable");
                if (errors.Count > 0)
                {
                    return await FailAsync(error, errors);
                }
                await output.WriteLineAsync($"{(parsed.Action == "disable" ? "Disabled" : "Enabled")} {parsed.Email}.");
                return 0;
            }
            case "tier":
            {
                var tier = string.Equals(parsed.Tier, "default", StringComparison.OrdinalIgnoreCase) ? null : parsed.Tier;
                var errors = await admin.SetTierAsync(parsed.Email!, tier, scope.ServiceProvider.GetRequiredService<Limits.Tiers>());
                if (errors.Count > 0)
                {
                    return await FailAsync(error, errors);
                }
                await output.WriteLineAsync($"{parsed.Email} is now in tier {tier?.ToLowerInvariant() ?? "default"}.");
                return 0;
            }
            default:
            {
                var password = parsed.Password ?? SecretTokens.NewPassword();
                var errors = await admin.ResetPasswordAsync(parsed.Email!, password);
                if (errors.Count > 0)
                {
                    return await FailAsync(error, errors);
                }
                await output.WriteLineAsync($"New password set for {parsed.Email}; its sessions end.");
                await PrintGeneratedAsync(output, parsed.Password, password);
                return 0;
            }
        }
    }

    private static async Task PrintGeneratedAsync(TextWriter output, string? given, string password)
    {
        if (given is null)
        {
            await output.WriteLineAsync("Generated password (shown only now): " + password);
        }
    }

    private static async Task<int> FailAsync(TextWriter error, IReadOnlyList<string> errors)
    {
        foreach (var e in errors)
        {
            await error.WriteLineAsync("error: " + e);
        }
        return 1;
    }
}

/// <summary>The parsed arguments of <c>videogen users</c>; configuration settings (<c>--Key=value</c>, <c>--urls</c> …) pass to the host.</summary>
public sealed record UsersArgs(string Action, string? Email, bool Admin, string? Password, string[] HostArgs, string? Tier = null)
{
    private static readonly string[] Actions = ["add", "list", "disable", "enable", "reset-password", "tier"];

    public static UsersArgs? Parse(string[] args, out string? problem)
    {
        problem = null;
        if (args.Length == 0 || !Actions.Contains(args[0]))
        {
            problem = $"users needs one of: {string.Join(", ", Actions)}.";
            return null;
        }
        string? email = null, password = null, tier = null;
        var admin = false;
        var hostArgs = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--admin")
            {
                admin = true;
            }
            else if (a == "--password")
            {
                if (i + 1 >= args.Length)
                {
                    problem = "--password needs a value.";
                    return null;
                }
                password = args[++i];
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                hostArgs.Add(a);
                if (!a.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    hostArgs.Add(args[++i]);
                }
            }
            else if (email is null)
            {
                email = a;
            }
            else if (args[0] == "tier" && tier is null)
            {
                tier = a;
            }
            else
            {
                problem = $"Unexpected argument '{a}'.";
                return null;
            }
        }
        var action = args[0];
        if (action != "list" && string.IsNullOrWhiteSpace(email))
        {
            problem = $"users {action} needs an EMAIL.";
            return null;
        }
        if (action == "tier" && string.IsNullOrWhiteSpace(tier))
        {
            problem = "users tier needs an EMAIL and a TIER.";
            return null;
        }
        if (admin && action != "add")
        {
            problem = "--admin only goes with users add.";
            return null;
        }
        if (password is not null && action is not ("add" or "reset-password"))
        {
            problem = "--password only goes with users add and users reset-password.";
            return null;
        }
        return new UsersArgs(action, email, admin, password, hostArgs.ToArray(), tier);
    }
}
