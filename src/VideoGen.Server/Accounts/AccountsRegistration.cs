using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using VideoGen.Server.Data;
using VideoGen.Server.Limits;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Accounts wiring. <see cref="AddAccounts"/> (every process: serve, worker, migrate, users): Identity's user and
/// role stores on the app database, the data-protection key ring in the same database (so every server process reads
/// every other's cookies), options, and the configured first admin. <see cref="AddAccountsWeb"/> (serve only):
/// sign-in, the cookie and API-key schemes, the fallback authorization policy, antiforgery and the single-user guard.
/// </summary>
public static class AccountsRegistration
{
    /// <summary>The default scheme: an API key when the request has <c>Authorization: Bearer</c>, else the session cookie.</summary>
    public const string SelectorScheme = "CookieOrApiKey";

    public const string SessionCookieName = "videogen.session";
    public const string AntiforgeryCookieName = "videogen.csrf";

    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>();
        services.AddSingleton<AccountsState>();
        services.AddDataProtection().SetApplicationName("VideoGen").PersistKeysToDbContext<AppDbContext>();
        services.AddIdentityCore<AppUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountsOptions>>((o, accounts) =>
        {
            var a = accounts.Value;
            o.User.RequireUniqueEmail = true;
            // Length is what makes a password strong (NIST SP 800-63B); composition rules only annoy.
            o.Password.RequiredLength = a.MinPasswordLength;
            o.Password.RequireDigit = false;
            o.Password.RequireLowercase = false;
            o.Password.RequireUppercase = false;
            o.Password.RequireNonAlphanumeric = false;
            o.Password.RequiredUniqueChars = 1;
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = a.MaxFailedSignIns;
            o.Lockout.DefaultLockoutTimeSpan = a.LockoutDuration;
        });
        services.AddScoped<UserAdministration>();
        services.AddHostedService<FirstAdminFromConfiguration>();
        services.AddLimits();
        return services;
    }

    public static IServiceCollection AddAccountsWeb(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        new IdentityBuilder(typeof(AppUser), typeof(IdentityRole), services).AddSignInManager();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
                o.DefaultForbidScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Session cookie or API key", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthenticationHandler.BearerToken(context.Request) is null ? IdentityConstants.ApplicationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<AccountsOptions>>((o, accounts) =>
        {
            o.Cookie.Name = SessionCookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request came over HTTPS (behind TLS); plain HTTP on loopback still works.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = accounts.Value.SessionLifetime;
            o.SlidingExpiration = true;
            // An API answers 401/403, never a redirect to a login page.
            o.Events.OnRedirectToLogin = c => SetStatus(c.Response, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => SetStatus(c.Response, StatusCodes.Status403Forbidden);
        });
        // A disabled account or a changed password ends other sessions within this interval.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(PublicRoutes.FallbackPolicy)
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CookieAntiforgeryMiddleware.HeaderName;
            o.Cookie.Name = AntiforgeryCookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddScoped<CurrentOwner>();
        services.AddHostedService<SingleUserGuard>();
        services.AddLimitsWeb();
        return services;
    }

    /// <summary>Authentication, single-user mode, authorization, the antiforgery check and the per-user rate limits, in that order (after static files).</summary>
    public static IApplicationBuilder UseAccounts(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseMiddleware<SingleUserMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<CookieAntiforgeryMiddleware>();
        // Per-user submission rate limits need the caller, so they come after authentication and authorization.
        app.UseLimits();
        return app;
    }

    private static Task SetStatus(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
