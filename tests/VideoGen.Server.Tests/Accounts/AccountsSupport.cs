using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Accounts;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>Accounts for in-process tests: create users straight through the server's services, sign in, make API keys.</summary>
public static class AccountsSupport
{
    public const string Password = "correct horse battery";

    public static async Task<string> CreateUserAsync(this VideoGenFactory factory, string email, bool admin = false, string password = Password)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var (user, errors) = await users.CreateAsync(email, password, admin);
        Assert.True(user is not null, string.Join(" ", errors));
        return user!.Id;
    }

    /// <summary>A client signed in with the session cookie, sending the antiforgery token on every request.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this VideoGenFactory factory, string email, string password = Password)
    {
        var http = factory.CreateClient();
        using (var signIn = await http.PostJsonAsync("/api/account/signin", JsonSerializer.Serialize(new { email, password })))
        {
            Assert.True(signIn.StatusCode == HttpStatusCode.OK, $"sign-in of {email} answered {(int)signIn.StatusCode}: {await signIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }
        await http.UseAntiforgeryTokenAsync();
        return http;
    }

    /// <summary>Reads the antiforgery token for the current session from /api/account/me and sends it from now on.</summary>
    public static async Task UseAntiforgeryTokenAsync(this HttpClient http)
    {
        using var me = await http.GetAsync("/api/account/me");
        var token = (await me.JsonAsync()).GetProperty("antiforgeryToken").GetString()!;
        http.DefaultRequestHeaders.Remove("X-CSRF-Token");
        http.DefaultRequestHeaders.Add("X-CSRF-Token", token);
    }

    /// <summary>Creates an API key for the signed-in client; returns its id and the key.</summary>
    public static async Task<(string Id, string Key)> CreateApiKeyAsync(this HttpClient signedIn, string name = "tests")
    {
        using var response = await signedIn.PostJsonAsync("/api/account/keys", JsonSerializer.Serialize(new { name }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.JsonAsync();
        return (json.GetProperty("id").GetString()!, json.GetProperty("key").GetString()!);
    }

    /// <summary>A client that authenticates with an API key only (no cookies).</summary>
    public static HttpClient ApiKeyClient(this VideoGenFactory factory, string key)
    {
        var http = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public static HttpClient AnonymousClient(this VideoGenFactory factory) =>
        factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
}
