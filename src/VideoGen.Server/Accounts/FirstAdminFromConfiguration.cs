using Microsoft.Extensions.Options;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Creates the admin named by <c>VideoGen:Accounts:AdminEmail</c> / <c>AdminPassword</c> at start when no account has
/// that email yet (an existing account is left as it is: configuration never resets a password). Runs after migrations.
/// </summary>
internal sealed class FirstAdminFromConfiguration(IServiceScopeFactory scopes, IOptions<AccountsOptions> options, ILogger<FirstAdminFromConfiguration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.AdminEmail) || string.IsNullOrEmpty(o.AdminPassword))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        if (await admin.FindAsync(o.AdminEmail) is not null)
        {
            return;
        }
        var (_, errors) = await admin.CreateAsync(o.AdminEmail, o.AdminPassword, admin: true);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(AccountsOptions.Section, typeof(AccountsOptions),
                errors.Select(e => "VideoGen:Accounts:AdminEmail/AdminPassword: " + e));
        }
        logger.LogInformation("Created the admin account from configuration (VideoGen:Accounts:AdminEmail)");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
