using System.CommandLine;
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
    /// <summary>The <c>users</c> verb and its actions; configuration settings (<c>--Key=value</c>, <c>--urls</c> …) pass to the host.</summary>
    public static Command Build(CliConsole console)
    {
        var users = new Command("users", "Accounts, straight on the app database (run it where the server's configuration is)");
        var admin = new Option<bool>("--admin") { Description = "Give the account the admin role" };
        var password = new Option<string?>("--password") { Description = "The password (default: one is generated and printed once)", HelpName = "P" };

        users.Subcommands.Add(Action(console, "add", "Create an account", withEmail: true, admin, password));
        users.Subcommands.Add(Action(console, "list", "List accounts (email, role, state, created, id)", withEmail: false));
        users.Subcommands.Add(Action(console, "disable", "Stop sign-in and API keys of an account", withEmail: true));
        users.Subcommands.Add(Action(console, "enable", "Allow sign-in and API keys of an account again", withEmail: true));
        users.Subcommands.Add(Action(console, "reset-password", "Set a new password, end sessions, clear a lockout", withEmail: true, password));
        users.Subcommands.Add(TierAction(console));
        return users;
    }

    private static Command Action(CliConsole console, string name, string description, bool withEmail, params Option[] options)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        var email = new Argument<string>("EMAIL") { Description = "The account's email" };
        if (withEmail)
        {
            command.Arguments.Add(email);
        }
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, _) =>
        {
            var given = withEmail ? parse.GetValue(email) : null;
            if (given is not null && given.StartsWith('-'))
            {
                await console.Error.WriteLineAsync($"error: users {name} needs the EMAIL before configuration settings (got '{given}').");
                return ExitCodes.Usage;
            }
            var admin = options.OfType<Option<bool>>().Select(parse.GetValue).FirstOrDefault();
            var password = options.OfType<Option<string?>>().Select(parse.GetValue).FirstOrDefault();
            var parsed = new UsersArgs(name, given, admin, password, [.. parse.UnmatchedTokens]);
            return await RunAsync(parsed, console.Out, console.Error);
        });
        return command;
    }

    /// <summary><c>users tier EMAIL TIER</c>: places the account in a tier of <c>VideoGen:Tiers</c> (<c>default</c> for the default tier).</summary>
    private static Command TierAction(CliConsole console)
    {
        var command = new Command("tier", "Place an account in a tier (VideoGen:Tiers; 'default' for the default tier)") { TreatUnmatchedTokensAsErrors = false };
        var email = new Argument<string>("EMAIL") { Description = "The account's email" };
        var tier = new Argument<string>("TIER") { Description = "The tier's name, or 'default'" };
        command.Arguments.Add(email);
        command.Arguments.Add(tier);
        command.SetAction(async (parse, _) =>
        {
            var given = parse.GetValue(email)!;
            var name = parse.GetValue(tier)!;
            if (given.StartsWith('-') || name.StartsWith('-'))
            {
                await console.Error.WriteLineAsync("error: users tier needs the EMAIL and TIER before configuration settings.");
                return ExitCodes.Usage;
            }
            return await RunAsync(new UsersArgs("tier", given, false, null, [.. parse.UnmatchedTokens], name), console.Out, console.Error);
        });
        return command;
    }

    public static async Task<int> RunAsync(UsersArgs parsed, TextWriter output, TextWriter error)
    {
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

/// <summary>The arguments of one <c>videogen users</c> action; <see cref="HostArgs"/> are configuration settings for the host.</summary>
public sealed record UsersArgs(string Action, string? Email, bool Admin, string? Password, string[] HostArgs, string? Tier = null);
