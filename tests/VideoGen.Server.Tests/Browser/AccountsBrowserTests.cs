using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Browser;

/// <summary>
/// Accounts in the page (headless Chromium): sign up, sign out, sign in, generate a video that plays, and find that
/// another user's video (its API URL and its file) does not exist for this user.
/// </summary>
public sealed class AccountsBrowserTests(ITestOutputHelper output)
{
    private const string OtherPassword = "the other user's password";

    [Fact]
    public async Task Page_SignUpSignInGenerate_AndAnotherUsersVideoIsNotFound()
    {
        using var dir = new TempDir("videogen-accounts-browser");
        var data = $"--VideoGen:DataDir={dir.Path}";
        var (code, _, error) = await VideoGenProcess.RunAsync(TimeSpan.FromSeconds(90), "users", "add", "other@example.com", "--password", OtherPassword, data);
        Assert.True(code == 0, error);
        await using var server = await VideoGenProcess.ServeLocalAsync(data, "--VideoGen:Accounts:SignUp=open");
        var (otherVideoId, otherVideoUrl) = await OtherUsersFinishedVideoAsync(server.BaseUrl);

        await using var browser = await BrowserSession.LaunchAsync();
        var (page, watch) = await browser.NewPageAsync(server.BaseUrl);

        // Sign up.
        await page.GotoAsync(server.BaseUrl.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Create an account" }).ClickAsync();
        await page.Locator("#signup-email").FillAsync("me@example.com");
        await page.Locator("#signup-password").FillAsync("my own long password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.Locator("#account-name")).ToHaveTextAsync("Signed in as me@example.com", new() { Timeout = 15_000 });

        // Sign out, then sign in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signin-email")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Locator("#signin-email").FillAsync("me@example.com");
        await page.Locator("#signin-password").FillAsync("my own long password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#account-name")).ToHaveTextAsync("Signed in as me@example.com", new() { Timeout = 15_000 });

        // Generate: the list holds only this user's video, and it plays.
        await Assertions.Expect(page.Locator("#model option[value='local/preview']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await page.GetByLabel("Prompt", new() { Exact = true }).FillAsync("my own fox");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
        var card = page.Locator("li.video").First;
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("li.video")).ToHaveCountAsync(1);
        var video = card.Locator("video");
        await page.WaitForFunctionAsync("v => v.readyState >= 2 && v.duration > 0", await video.ElementHandleAsync(), new() { Timeout = 30_000 });

        watch.AssertClean();

        // The other user's video does not exist for this user: neither its API URL nor its file.
        var api = await page.GotoAsync(new Uri(server.BaseUrl, $"/api/videos/{otherVideoId}").ToString());
        Assert.Equal(404, api!.Status);
        var file = await page.GotoAsync(new Uri(server.BaseUrl, otherVideoUrl).ToString());
        Assert.Equal(404, file!.Status);
        output.WriteLine($"other video {otherVideoId}: API 404, file 404");
    }

    /// <summary>The other user signs in over HTTP, generates a video and waits for it; returns its id and file URL.</summary>
    private static async Task<(string Id, string VideoUrl)> OtherUsersFinishedVideoAsync(Uri server)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = server };
        using (var signIn = await http.PostJsonAsync("/api/account/signin", JsonSerializer.Serialize(new { email = "other@example.com", password = OtherPassword })))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }
        using (var me = await http.GetAsync("/api/account/me"))
        {
            http.DefaultRequestHeaders.Add("X-CSRF-Token", (await me.JsonAsync()).GetProperty("antiforgeryToken").GetString());
        }
        var id = (await http.CreateVideoAsync("someone else's fox")).GetProperty("id").GetString()!;
        var done = await http.WaitForStatusAsync(id, s => s is "succeeded" or "failed" or "canceled", TimeSpan.FromSeconds(90), "the other user's video to finish");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        return (id, done.GetProperty("videoUrl").GetString()!);
    }
}
