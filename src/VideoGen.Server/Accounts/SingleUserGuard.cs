using Microsoft.Extensions.Options;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Refuses to start <c>serve</c> when it would listen beyond loopback with no account (and no explicit opt-out):
/// everyone who reached it would act as the owner. The failure is a configuration error (exit code 3) whose
/// message names both fixes. Runs after migrations and before the listener opens.
/// </summary>
internal sealed class SingleUserGuard(IConfiguration configuration, AccountsState state, IOptions<AccountsOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var beyond = ListenAddresses.FirstBeyondLoopback(ListenAddresses.Configured(configuration, Hosting.VideoGenHost.DefaultUrls));
        state.LoopbackOnly = beyond is null;
        if (beyond is null || options.Value.AllowSingleUserBeyondLoopback || await state.AccountsExistAsync(cancellationToken))
        {
            return;
        }
        throw new OptionsValidationException(AccountsOptions.Section, typeof(AccountsOptions),
        [
            $"VideoGen would listen beyond loopback ({beyond}) but no account exists, so anyone who reaches it would act as the owner. Either:",
            "    create an admin first:       videogen users add --admin you@example.com   (then serve again), or",
            "    listen on loopback only:     --urls http://127.0.0.1:5080",
            "  (Behind your own authenticating proxy only: VideoGen:Accounts:AllowSingleUserBeyondLoopback=true.)",
        ]);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
