using Microsoft.Playwright;

namespace VideoGen.Server.Tests.Api.OpenApi;

/// <summary>
/// The API reference at /docs in headless Chromium, with the network beyond this server blocked: it renders the
/// operations from /openapi/v1.json, and its CSP refuses nothing it needs (no console errors, no CSP reports).
/// </summary>
public sealed class ApiReferenceBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task Docs_RendersTheOperationsOffline_WithoutCspViolations()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"{ChromiumPath} is missing; install Debian's chromium package (scripts/test.sh does).");
        }
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error" || m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("console: " + m.Text);
            }
        };
        page.PageError += (_, e) => problems.Add("page error: " + e);
        var elsewhere = new List<string>();
        // Offline: anything not asked of this server fails, and is recorded.
        await page.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Authority == server.BaseUrl.Authority)
            {
                await route.ContinueAsync();
            }
            else
            {
                elsewhere.Add(route.Request.Url);
                await route.AbortAsync();
            }
        });

        await page.GotoAsync(new Uri(server.BaseUrl, "/docs/").ToString());
        await Assertions.Expect(page.GetByText("Create a video").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByText("VideoGen API").First).ToBeVisibleAsync();
        var screenshot = await page.ScreenshotAsync(new() { FullPage = false });
        TestContext.Current.AddAttachment("api-reference.png", screenshot, "image/png");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(elsewhere.Count == 0, "The reference reached beyond this server: " + string.Join(", ", elsewhere));
    }
}
