using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace VideoGen.Server.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (no downloaded browsers), launched the way every browser test here launches
/// it, with a <see cref="PageWatch"/> on each page it opens. Disposing closes the browser and Playwright.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string[] LaunchArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;

    private BrowserSession(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<BrowserSession> LaunchAsync(params string[] extraArgs)
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
            Args = [.. LaunchArgs, .. extraArgs],
        });
        return new BrowserSession(playwright, browser);
    }

    /// <summary>A new page (own context: own cookies) with its problems watched.</summary>
    public async Task<(IPage Page, PageWatch Watch)> NewPageAsync(Uri server, BrowserNewPageOptions? options = null)
    {
        var page = await Browser.NewPageAsync(options ?? new BrowserNewPageOptions());
        page.SetDefaultTimeout(15_000);
        return (page, await PageWatch.AttachAsync(page, server));
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>
/// Dialogs, console errors, uncaught page errors and CSP violation reports of a page, for asserting that nothing ran
/// that should not and nothing the page needs was blocked. One known gap is tolerated, and only while it is real: when
/// the server has no list-wide event stream (<c>GET /api/videos/events</c> does not answer an event stream to an unauthenticated probe), the browser's own report of
/// that failed stream is expected (the page then polls); once the route answers the probe, any error about it counts.
/// </summary>
internal sealed class PageWatch
{
    public const string ListStreamPath = "/api/videos/events";

    private readonly ConcurrentQueue<string> _problems = new();
    private bool _listStreamMissing;

    public static async Task<PageWatch> AttachAsync(IPage page, Uri server)
    {
        var watch = new PageWatch();
        using (var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(15) })
        using (var probe = new HttpRequestMessage(HttpMethod.Get, ListStreamPath))
        using (var answer = await http.SendAsync(probe, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken))
        {
            // Anonymous probes of a server with accounts get 401 whether or not the route exists: also "not known to work".
            watch._listStreamMissing = answer.StatusCode != System.Net.HttpStatusCode.OK || answer.Content.Headers.ContentType?.MediaType != "text/event-stream";
        }
        page.Dialog += (_, d) =>
        {
            watch._problems.Enqueue($"dialog: {d.Type} {d.Message}");
            _ = d.DismissAsync();
        };
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !watch.IsMissingListStream(m))
            {
                watch._problems.Enqueue($"console error: {m.Text} ({m.Location})");
            }
        };
        page.PageError += (_, e) => watch._problems.Enqueue($"page error: {e}");
        await page.ExposeFunctionAsync("reportViolation", (string text) => watch._problems.Enqueue("CSP violation: " + text));
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));");
        return watch;
    }

    /// <summary>Whether the server lacked the list-wide stream when the page was opened (the page polls instead).</summary>
    public bool ListStreamMissing => _listStreamMissing;

    private bool IsMissingListStream(IConsoleMessage m) =>
        _listStreamMissing && (m.Location.Contains(ListStreamPath, StringComparison.Ordinal) || m.Text.Contains("EventSource", StringComparison.Ordinal));

    /// <summary>Problems so far (empty when clean).</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    public void AssertClean() => Assert.True(_problems.IsEmpty, string.Join("\n", _problems));
}

/// <summary>Screenshots kept as test artifacts, under <c>TestResults/screenshots</c> in the test output folder.</summary>
internal static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name, bool fullPage = true)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }
}
