using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Server.Data;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Whether this process runs in single-user mode: it listens on loopback only (or the operator opted out of that
/// rule) and no account exists. Once an account is seen the answer is final; while none is, the database is asked
/// again at most once a second, so an admin created by the CLI in another process ends single-user mode quickly.
/// </summary>
public sealed class AccountsState(IDbContextFactory<AppDbContext> dbs, IOptions<AccountsOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    private volatile bool _accountsExist;
    private long _checkedAtTicks; // 0: never checked (a real clock is far past it)

    /// <summary>True unless the start-up guard found an address beyond loopback (web processes only).</summary>
    public bool LoopbackOnly { get; internal set; } = true;

    public async ValueTask<bool> AccountsExistAsync(CancellationToken ct)
    {
        if (_accountsExist)
        {
            return true;
        }
        var now = time.GetUtcNow().UtcTicks;
        if (now - Interlocked.Read(ref _checkedAtTicks) < Recheck.Ticks)
        {
            return false;
        }
        await using var db = await dbs.CreateDbContextAsync(ct);
        var exist = await db.Users.AnyAsync(ct);
        Interlocked.Exchange(ref _checkedAtTicks, now);
        if (exist)
        {
            _accountsExist = true;
        }
        return exist;
    }

    /// <summary>Called when this process created an account: single-user mode ends at once.</summary>
    public void MarkAccountsExist() => _accountsExist = true;

    /// <summary>
    /// Whether a request from beyond loopback may act as the local owner: only with the operator's explicit opt-out
    /// (<see cref="AccountsOptions.AllowSingleUserBeyondLoopback"/>), e.g. behind their own authenticating proxy.
    /// </summary>
    public bool ServesBeyondLoopback => options.Value.AllowSingleUserBeyondLoopback;

    public async ValueTask<bool> IsSingleUserAsync(CancellationToken ct) =>
        (LoopbackOnly || ServesBeyondLoopback) && !await AccountsExistAsync(ct);
}
