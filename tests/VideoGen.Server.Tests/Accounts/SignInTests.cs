using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Accounts;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>Sign-in, lockout, the session cookie's flags, sign-up policies and single-user mode's end.</summary>
public sealed class SignInTests() : VideoGenHostTests(new VideoGenFactory
{
    WorkersEnabled = false,
    Settings = { ["VideoGen:Accounts:MaxFailedSignIns"] = "3", ["VideoGen:Accounts:SignUp"] = "invite-only" },
})
{
    private static string Body(string email, string password) => JsonSerializer.Serialize(new { email, password });

    [Fact]
    public async Task RepeatedWrongPasswords_LockTheAccount_EvenTheRightPasswordIsRefused_UntilReset()
    {
        await Factory.CreateUserAsync("victim@example.com");
        using var http = Factory.AnonymousClient();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await http.PostJsonAsync("/api/account/signin", Body("victim@example.com", "guess number " + i));
            Assert.Equal(i < 2 ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, wrong.StatusCode);
        }

        using (var right = await http.PostJsonAsync("/api/account/signin", Body("victim@example.com", AccountsSupport.Password)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
            Assert.Equal("Account locked", (await right.JsonAsync()).GetProperty("title").GetString());
        }

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<UserAdministration>().ResetPasswordAsync("victim@example.com", "a brand new password"));
        }
        using var after = await http.PostJsonAsync("/api/account/signin", Body("victim@example.com", "a brand new password"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SignIn_SetsHttpOnlySameSiteStrictSessionCookie()
    {
        await Factory.CreateUserAsync("cookie@example.com");
        using var http = Factory.AnonymousClient();

        using var response = await http.PostJsonAsync("/api/account/signin", Body("cookie@example.com", AccountsSupport.Password));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AccountsRegistration.SessionCookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WrongPassword_AndUnknownEmail_AnswerTheSame()
    {
        await Factory.CreateUserAsync("known@example.com");
        using var http = Factory.AnonymousClient();

        using var wrong = await http.PostJsonAsync("/api/account/signin", Body("known@example.com", "not the password"));
        using var unknown = await http.PostJsonAsync("/api/account/signin", Body("unknown@example.com", "not the password"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var (w, u) = (await wrong.JsonAsync(), await unknown.JsonAsync());
        Assert.Equal(w.GetProperty("title").GetString(), u.GetProperty("title").GetString());
        Assert.Equal(w.GetProperty("detail").GetString(), u.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task InviteOnly_SignUpNeedsAnUnusedInvitation()
    {
        await Factory.CreateUserAsync("boss@example.com", admin: true);
        using var admin = await Factory.SignedInClientAsync("boss@example.com");
        using var anonymous = Factory.AnonymousClient();

        using (var without = await anonymous.PostJsonAsync("/api/account/signup", Body("new@example.com", "a long enough password")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        }
        using var invite = await admin.PostJsonAsync("/api/admin/invitations", "{}");
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var code = (await invite.JsonAsync()).GetProperty("code").GetString();

        using (var with = await anonymous.PostJsonAsync("/api/account/signup", JsonSerializer.Serialize(new { email = "new@example.com", password = "a long enough password", invitation = code })))
        {
            Assert.Equal(HttpStatusCode.Created, with.StatusCode);
        }
        using var again = await anonymous.PostJsonAsync("/api/account/signup", JsonSerializer.Serialize(new { email = "other@example.com", password = "a long enough password", invitation = code }));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task SingleUserMode_EndsWhenTheFirstAccountExists()
    {
        using var http = Factory.AnonymousClient();
        using (var before = await http.GetAsync("/api/account/me"))
        {
            var me = await before.JsonAsync();
            Assert.Equal("single-user", me.GetProperty("mode").GetString());
            Assert.True(me.GetProperty("user").GetProperty("isAdmin").GetBoolean());
        }
        using (var videos = await http.GetAsync("/api/videos"))
        {
            Assert.Equal(HttpStatusCode.OK, videos.StatusCode);
        }

        await Factory.CreateUserAsync("first@example.com", admin: true);

        using var after = await http.GetAsync("/api/videos");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var me2 = await http.GetAsync("/api/account/me");
        Assert.Equal("accounts", (await me2.JsonAsync()).GetProperty("mode").GetString());
    }
}
