using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Limits;

namespace VideoGen.Server.Apis;

/// <summary>
/// The account API under <c>/api/account</c>, for the page: who am I (and the antiforgery token), sign up (by the
/// configured policy), sign in (with lockout), sign out, change password. Sign-in sets the HttpOnly, SameSite=Strict
/// session cookie; wrong credentials and disabled accounts get the same 401.
/// </summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/account").WithTags("Account");
        api.MapGet("/me", GetMe).AllowAnonymous()
            .Describe("GetMe", "Who am I", "The caller (null when anonymous), the mode, the sign-up policy and the antiforgery token for cookie-authenticated mutations.");
        api.MapPost("/signup", SignUp).AllowAnonymous()
            .Describe("SignUp", "Create an account (by the sign-up policy)")
            .ProducesProblems(StatusCodes.Status403Forbidden);
        api.MapPost("/signin", SignIn).AllowAnonymous()
            .Describe("SignIn", "Sign in (sets the session cookie)")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
        api.MapPost("/signout", SignOut).AllowAnonymous()
            .Describe("SignOut", "Sign out (ends the session cookie)");
        api.MapPost("/password", ChangePassword)
            .Describe("ChangePassword", "Change the caller's password")
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>
    /// The caller (null when anonymous), the mode, the sign-up policy, the antiforgery token for cookie-authenticated
    /// mutations, and for a signed-in caller their tier and limits and their spend.
    /// </summary>
    public static async Task<MeDto> GetMe(
        HttpContext context, CurrentOwner owner, IAntiforgery antiforgery, IOptions<AccountsOptions> options,
        UserLimits limits, SpendLedger ledger, TimeProvider time, CancellationToken ct)
    {
        var user = context.User;
        var token = antiforgery.GetAndStoreTokens(context).RequestToken;
        var mode = user.Identity?.AuthenticationType == LocalOwner.AuthenticationType ? "single-user" : "accounts";
        AccountUserDto? me = null;
        SpendDto? spend = null;
        LimitsDto? applied = null;
        if (user.Identity?.IsAuthenticated == true)
        {
            me = new AccountUserDto(owner.Id, owner.IsLocalOwner ? null : user.Identity.Name, owner.IsAdmin);
            var effective = await limits.ForAsync(owner.Id, owner.IsAdmin, ct);
            applied = LimitsDto.From(effective, await limits.ActiveVideosAsync(owner.Id, ct));
            spend = SpendDto.From(await ledger.ForAsync(owner.Id, time.GetUtcNow(), ct), effective);
        }
        return new MeDto(mode, me, SignUpPolicies.Name(options.Value.SignUpPolicy), token, spend, applied);
    }

    public static async Task<Results<Created<AccountUserDto>, ValidationProblem, ProblemHttpResult>> SignUp(
        SignUpBody body, UserAdministration admin, SignInManager<AppUser> signIn, AppDbContext db,
        IOptions<AccountsOptions> options, TimeProvider time, CancellationToken ct)
    {
        var policy = options.Value.SignUpPolicy;
        if (policy == SignUpPolicy.Closed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign-up is closed",
                detail: "Accounts on this server are created by an admin (videogen users add).");
        }
        var email = body.Email?.Trim() ?? "";
        if (email.Length == 0 || string.IsNullOrEmpty(body.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Email and password are required."] });
        }

        Invitation? invitation = null;
        if (policy == SignUpPolicy.InviteOnly)
        {
            invitation = await FindUsableInvitationAsync(db, body.Invitation, email, time, ct);
            if (invitation is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["invitation"] = ["Sign-up needs a valid invitation code from an admin (unused, not expired, and for this email if it names one)."],
                });
            }
        }

        var (user, errors) = await admin.CreateAsync(email, body.Password, admin: false);
        if (user is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["account"] = errors.ToArray() });
        }
        if (invitation is not null)
        {
            // Spent at most once even when two sign-ups race for it: the loser's account is removed again.
            var now = time.GetUtcNow();
            var spent = await db.Invitations.Where(i => i.Id == invitation.Id && i.UsedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.UsedBy, user.Id), ct);
            if (spent == 0)
            {
                await signIn.UserManager.DeleteAsync(user);
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["invitation"] = ["This invitation code has already been used."] });
            }
        }
        await signIn.SignInAsync(user, isPersistent: true);
        return TypedResults.Created("/api/account/me", new AccountUserDto(user.Id, user.Email, false));
    }

    public static async Task<Results<Ok<AccountUserDto>, ProblemHttpResult>> SignIn(
        SignInBody body, SignInManager<AppUser> signIn, TimeProvider time)
    {
        var user = string.IsNullOrWhiteSpace(body.Email) ? null : await signIn.UserManager.FindByEmailAsync(body.Email.Trim());
        if (user is null || user.DisabledAt is not null || string.IsNullOrEmpty(body.Password))
        {
            return WrongCredentials();
        }
        var result = await signIn.PasswordSignInAsync(user, body.Password, isPersistent: body.Remember ?? true, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var end = await signIn.UserManager.GetLockoutEndDateAsync(user);
            var seconds = end is null ? 60 : Math.Max(1, (int)Math.Ceiling((end.Value - time.GetUtcNow()).TotalSeconds));
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Account locked",
                detail: $"Too many failed sign-ins; try again in {seconds} seconds.",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }
        if (!result.Succeeded)
        {
            return WrongCredentials();
        }
        var isAdmin = await signIn.UserManager.IsInRoleAsync(user, Roles.Admin);
        return TypedResults.Ok(new AccountUserDto(user.Id, user.Email, isAdmin));
    }

    public static async Task<NoContent> SignOut(SignInManager<AppUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordBody body, CurrentOwner owner, SignInManager<AppUser> signIn)
    {
        var user = owner.IsLocalOwner ? null : await signIn.UserManager.FindByIdAsync(owner.Id);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No password to change",
                detail: "Single-user mode has no account; create one with videogen users add.");
        }
        var result = await signIn.UserManager.ChangePasswordAsync(user, body.CurrentPassword ?? "", body.NewPassword ?? "");
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = result.Errors.Select(e => e.Description).ToArray() });
        }
        await signIn.RefreshSignInAsync(user);
        return TypedResults.NoContent();
    }

    private static async Task<Invitation?> FindUsableInvitationAsync(AppDbContext db, string? code, string email, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 200)
        {
            return null;
        }
        var hash = SecretTokens.Hash(code.Trim());
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.CodeHash == hash, ct);
        var usable = invitation is not null && invitation.UsedAt is null && invitation.ExpiresAt > time.GetUtcNow()
            && (invitation.Email is null || string.Equals(invitation.Email, email, StringComparison.OrdinalIgnoreCase));
        return usable ? invitation : null;
    }

    private static ProblemHttpResult WrongCredentials() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "The email or password is wrong, or the account is disabled.");
}

public sealed record SignUpBody(string? Email, string? Password, string? Invitation);

public sealed record SignInBody(string? Email, string? Password, bool? Remember);

public sealed record ChangePasswordBody(string? CurrentPassword, string? NewPassword);

/// <summary>The caller. <see cref="Email"/> is null for single-user mode's local owner.</summary>
public sealed record AccountUserDto(string Id, string? Email, bool IsAdmin);

/// <summary>
/// <see cref="Mode"/> is <c>single-user</c> (no account; every request is the local owner) or <c>accounts</c>;
/// <see cref="User"/> is null when not signed in; send <see cref="AntiforgeryToken"/> as <c>X-CSRF-Token</c> on
/// cookie-authenticated POST/DELETE requests. <see cref="Spend"/> and <see cref="Limits"/> (null when not signed in):
/// what the caller spent today and this month against their daily budget, and their tier and limits.
/// </summary>
public sealed record MeDto(string Mode, AccountUserDto? User, string SignUp, string? AntiforgeryToken, SpendDto? Spend, LimitsDto? Limits);
