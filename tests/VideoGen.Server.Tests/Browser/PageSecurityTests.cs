using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Browser;

/// <summary>
/// The page under its Content-Security-Policy in real Chromium: hostile prompts are shown as text and nothing runs,
/// the page's own (same-origin) requests work; a page of another origin that posts to the API changes nothing, and a
/// DNS-rebinding name pointing at the server is refused.
/// </summary>
public sealed class PageSecurityTests(ITestOutputHelper output)
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string EvilHost = "evil.example";

    [Fact]
    public async Task HostilePrompts_AreShownAsText_NothingRuns_AndNoCspViolation()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync();
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.Browser.NewPageAsync();
        var watch = await PageWatch.AttachAsync(page, server.BaseUrl);
        string[] prompts = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "\"><svg onload=alert(1)>", "<style>body{display:none}</style>"];

        await page.GotoAsync(server.BaseUrl.ToString());
        await Assertions.Expect(page.Locator("#model option[value='local/preview']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        foreach (var prompt in prompts)
        {
            await page.GetByLabel("Prompt", new() { Exact = true }).FillAsync(prompt);
            await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("li.video .prompt").First).ToHaveTextAsync(prompt, new() { Timeout = 15_000 });
        }
        var cards = page.Locator("li.video");
        await Assertions.Expect(cards).ToHaveCountAsync(prompts.Length);
        for (var i = 0; i < prompts.Length; i++)
        {
            await Assertions.Expect(cards.Nth(i)).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
        }
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('li.video video')].every(v => v.readyState >= 1)", null, new() { Timeout = 30_000 });

        var injected = await page.EvaluateAsync<int>("() => document.querySelectorAll('#videos img, #videos script, #videos svg, #videos style').length");
        var shown = await page.Locator("li.video .prompt").AllTextContentsAsync();
        output.WriteLine(string.Join("\n", shown));
        Assert.Equal(prompts.Reverse(), shown);
        Assert.Equal(0, injected);
        watch.AssertClean();
    }

    [Fact]
    public async Task OtherOriginPage_NoCorsPostsAndForms_ChangeNothing()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");
        using var created = await server.Http.PostAsync("/api/videos", new StringContent("""{"prompt":"a fox"}""", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetString()!;
        var before = await StateAsync(server);
        var target = server.BaseUrl.GetLeftPart(UriPartial.Authority);
        await using var attacker = await AttackerSite.StartAsync(AttackPage(target, id));
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.Browser.NewPageAsync();
        var answers = new ConcurrentQueue<(string Method, string Url, int Status)>();
        page.Response += (_, r) =>
        {
            if (r.Url.StartsWith(target, StringComparison.Ordinal))
            {
                answers.Enqueue((r.Request.Method, r.Url, r.Status));
            }
        };

        await page.GotoAsync($"http://{EvilHost}:{attacker.Port}/");
        await page.WaitForFunctionAsync("() => window.attacksDone === true", null, new() { Timeout = 30_000 });
        await Eventually.TrueAsync(() => answers.Count >= 6, "the server's answers to the 5 cross-origin fetches and the form post");

        output.WriteLine(string.Join("\n", answers));
        Assert.All(answers, a => Assert.True(a.Status == 403, $"{a.Method} {a.Url} answered {a.Status}, not 403"));
        Assert.Equal(before, await StateAsync(server));
    }

    [Fact]
    public async Task RebindingName_PointingAtTheServer_IsRefused()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");
        await using var browser = await Chromium.LaunchAsync();
        var page = await browser.Browser.NewPageAsync();

        var rebound = await page.GotoAsync($"http://{EvilHost}:{server.BaseUrl.Port}/");
        var own = await page.GotoAsync(server.BaseUrl.ToString());

        Assert.Equal(400, rebound!.Status);
        Assert.Equal(200, own!.Status);
    }

    private static async Task<string> StateAsync(VideoGenProcess server)
    {
        var videos = await server.Http.GetStringAsync("/api/videos", TestContext.Current.CancellationToken);
        var queue = await server.Http.GetStringAsync("/api/admin/queues/videos", TestContext.Current.CancellationToken);
        using var v = JsonDocument.Parse(videos);
        var rows = string.Join(",", v.RootElement.GetProperty("items").EnumerateArray().Select(x => $"{x.GetProperty("id")}:{x.GetProperty("status")}"));
        return rows + " | " + queue;
    }

    /// <summary>What a hostile page does without a preflight: no-cors fetches with text/plain and form bodies, and a form post into a frame.</summary>
    private static string AttackPage(string target, string id) => $$"""
        <!doctype html><html><body>
        <iframe name="sink"></iframe>
        <form id="f" method="post" action="{{target}}/api/admin/queues/videos/pause" target="sink" enctype="text/plain"><input name="x" value="1"></form>
        <script>
        (async () => {
          const t = "{{target}}";
          const text = (body) => ({ method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "text/plain" }, body });
          const form = new FormData(); form.append("image", new Blob(["\x89PNG\r\n\x1a\n"], { type: "image/png" }), "a.png");
          await Promise.all([
            fetch(t + "/api/videos", text('{"prompt":"a paid video"}')),
            fetch(t + "/api/videos/{{id}}/cancel", text("")),
            fetch(t + "/api/admin/queues/videos/pause", text("")),
            fetch(t + "/api/admin/queues/videos/jobs/{{id}}/retry", text("")),
            fetch(t + "/api/uploads", { method: "POST", mode: "no-cors", body: form }),
          ].map(p => p.catch(e => String(e))));
          document.getElementById("f").submit();
          window.attacksDone = true;
        })();
        </script></body></html>
        """;

    /// <summary>Chromium (Debian's) with <c>evil.example</c> resolving to 127.0.0.1, as a rebinding attacker's DNS would make it.</summary>
    private sealed class Chromium : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;

        private Chromium(IPlaywright playwright, IBrowser browser)
        {
            _playwright = playwright;
            Browser = browser;
        }

        public IBrowser Browser { get; }

        public static async Task<Chromium> LaunchAsync()
        {
            if (!File.Exists(ChromiumPath))
            {
                Assert.Fail($"{ChromiumPath} is missing; install Debian's chromium package (scripts/test.sh does).");
            }
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                        $"--host-resolver-rules=MAP {EvilHost} 127.0.0.1"],
            });
            return new Chromium(playwright, browser);
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }
    }

    /// <summary>The attacker's web server: one page, any Host, on a free loopback port.</summary>
    private sealed class AttackerSite : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private AttackerSite(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; }

        public static async Task<AttackerSite> StartAsync(string html)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/", () => Results.Content(html, "text/html"));
            await app.StartAsync(TestContext.Current.CancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new AttackerSite(app, new Uri(address).Port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
