using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Browser;

/// <summary>
/// The page's flows in headless Chromium against <c>videogen serve</c> with the local preview model: create from the
/// options form (Ctrl+Enter) → live status → play → history after a reload; history newest first with infinite
/// scroll, search and status filter answered by the server; videos made elsewhere appearing; cancel, retry,
/// regenerate and delete done with the keyboard; a phone-sized, dark-mode page. Screenshots go to TestResults/screenshots.
/// </summary>
public sealed partial class PageFlowTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ILocator Prompt(IPage page) => page.GetByLabel("Prompt", new() { Exact = true });

    private static ILocator GenerateButton(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true });

    private static async Task OpenAsync(IPage page, VideoGenProcess server)
    {
        await page.GotoAsync(server.BaseUrl.ToString());
        await Assertions.Expect(page.Locator("#model option[value='local/preview']")).ToHaveCountAsync(1);
    }

    private static async Task<string> CreateByApiAsync(VideoGenProcess server, string prompt, object? extra = null)
    {
        var body = extra is null ? JsonSerializer.Serialize(new { prompt }) : JsonSerializer.Serialize(new { prompt, parameters = extra });
        using var response = await server.Http.PostAsync("/api/videos", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> GetByApiAsync(VideoGenProcess server, string id)
    {
        using var response = await server.Http.GetAsync($"/api/videos/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    /// <summary>Records every status a card shows (a MutationObserver on the list), so a test can tell the live states were shown.</summary>
    private static Task RecordStatusesAsync(IPage page) => page.EvaluateAsync("""
        () => {
          window.seenStatuses = [];
          const seen = (li) => { const s = li.dataset.status; if (s && window.seenStatuses.at(-1) !== s) window.seenStatuses.push(s); };
          new MutationObserver((records) => records.forEach((r) => {
            if (r.type === "attributes") seen(r.target); else r.addedNodes.forEach((n) => n.dataset && seen(n));
          })).observe(document.getElementById("videos"), { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status"] });
        }
        """);

    [Fact]
    public async Task CreateFromTheOptionsForm_ShowsLiveStatus_Plays_AndStaysInHistory()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync();
        await using var browser = await BrowserSession.LaunchAsync();
        var (page, watch) = await browser.NewPageAsync(server.BaseUrl, new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        await OpenAsync(page, server);

        // The form follows local/preview's schema: duration 2–10 (default 4), aspect ratio of three, a seed, no negative prompt, free.
        var duration = page.Locator("#opt-duration");
        await Assertions.Expect(duration).ToHaveAttributeAsync("type", "number");
        await Assertions.Expect(duration).ToHaveAttributeAsync("min", "2");
        await Assertions.Expect(duration).ToHaveAttributeAsync("max", "10");
        await Assertions.Expect(duration).ToHaveValueAsync("4");
        Assert.Equal(["16:9", "9:16", "1:1"], await page.Locator("#opt-aspect_ratio option").AllTextContentsAsync());
        await Assertions.Expect(page.Locator("#seed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#negative-prompt")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#image-file")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: Free");

        await RecordStatusesAsync(page);
        await Prompt(page).FillAsync("a lighthouse in a storm");
        await duration.FillAsync("3");
        await page.Locator("#opt-aspect_ratio").SelectOptionAsync("9:16");
        await page.Locator("#seed").FillAsync("1234");
        await Prompt(page).PressAsync("Control+Enter");

        var card = page.Locator("li.video").First;
        await Assertions.Expect(card.Locator(".prompt")).ToHaveTextAsync("a lighthouse in a storm");
        await Assertions.Expect(card.Locator(".settings")).ToHaveTextAsync("duration 3 · aspect ratio 9:16 · seed 1234");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
        var video = card.Locator("video");
        await page.WaitForFunctionAsync("v => v.readyState >= 2 && v.duration > 0", await video.ElementHandleAsync(), new() { Timeout = 30_000 });
        var state = await video.EvaluateAsync<JsonElement>("v => ({ duration: v.duration, width: v.videoWidth, height: v.videoHeight })");
        output.WriteLine(state.GetRawText());
        Assert.Equal(360, state.GetProperty("width").GetInt32());
        Assert.Equal(640, state.GetProperty("height").GetInt32());
        Assert.InRange(state.GetProperty("duration").GetDouble(), 2.5, 3.5);

        var seen = await page.EvaluateAsync<string[]>("() => window.seenStatuses");
        output.WriteLine(string.Join(" → ", seen));
        Assert.Equal("queued", seen[0]);
        Assert.Equal("succeeded", seen[^1]);
        await Assertions.Expect(card.Locator(".status")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(card.Locator(".elapsed")).ToHaveTextAsync(new Regex("^took \\d+ s$"));
        await Assertions.Expect(card.Locator(".cost")).ToHaveTextAsync("Free");

        // Actions of a finished video.
        var id = await card.GetAttributeAsync("data-id");
        var videoUrl = (await GetByApiAsync(server, id!)).GetProperty("videoUrl").GetString();
        await Assertions.Expect(card.Locator("a.download")).ToHaveAttributeAsync("href", videoUrl!);
        await Assertions.Expect(card.Locator(".copy-link")).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".regenerate")).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".delete")).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".cancel")).ToBeHiddenAsync();
        await Assertions.Expect(card.Locator(".retry")).ToBeHiddenAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await card.Locator(".copy-link").ClickAsync();
        await Assertions.Expect(card.Locator(".action-status")).ToHaveTextAsync("Link copied.");
        Assert.Equal(new Uri(server.BaseUrl, videoUrl).AbsoluteUri, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Screenshots.SaveAsync(page, "create-live-play");

        // History: after a reload the video is listed, finished and playable.
        await page.ReloadAsync();
        var listed = page.Locator($"li.video[data-id='{id}']");
        await Assertions.Expect(listed).ToHaveAttributeAsync("data-status", "succeeded");
        await page.WaitForFunctionAsync("v => v.readyState >= 1", await listed.Locator("video").ElementHandleAsync(), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#list-end")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Load older" })).ToHaveCountAsync(0);
        watch.AssertClean();
    }

    [Fact]
    public async Task History_NewestFirst_ScrollsForOlder_AndSearchAndStatusFilterAreAnsweredByTheServer()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            ids.Add(await CreateByApiAsync(server, i % 5 == 0 ? $"an owl, take {i}" : $"a fox, take {i}"));
        }
        foreach (var i in new[] { 1, 2, 5 })
        {
            using var cancel = await server.Http.PostAsync($"/api/videos/{ids[i]}/cancel", null, Ct);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }
        ids.Reverse();
        await using var browser = await BrowserSession.LaunchAsync();
        var (page, watch) = await browser.NewPageAsync(server.BaseUrl, new() { ViewportSize = new() { Width = 1200, Height = 800 } });
        var listRequests = new List<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/videos?", StringComparison.Ordinal))
            {
                lock (listRequests)
                {
                    listRequests.Add(new Uri(r.Url).Query);
                }
            }
        };
        await OpenAsync(page, server);

        // The first page, newest first; scrolling to its end loads the rest; then the list says it has ended.
        var cards = page.Locator("li.video");
        await Assertions.Expect(cards).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("#list-end")).ToBeHiddenAsync();
        await page.Locator("#sentinel").ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(cards).ToHaveCountAsync(25);
        Assert.Equal(ids, await cards.EvaluateAllAsync<string[]>("lis => lis.map(li => li.dataset.id)"));
        await Assertions.Expect(page.Locator("#list-end")).ToHaveTextAsync("No older videos.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Load older" })).ToHaveCountAsync(0);

        // Search (case-insensitive, on the server), then the status filter on top of it, then the filter alone.
        await page.Locator("#search").FillAsync("OWL");
        await Assertions.Expect(cards).ToHaveCountAsync(5);
        Assert.All(await page.Locator("li.video .prompt").AllTextContentsAsync(), p => Assert.StartsWith("an owl", p, StringComparison.Ordinal));
        await page.Locator("#status-filter").SelectOptionAsync("canceled");
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        await Assertions.Expect(cards.First.Locator(".prompt")).ToHaveTextAsync("an owl, take 5");
        await Screenshots.SaveAsync(page, "history-search-and-filter");
        await page.Locator("#search").FillAsync("");
        await Assertions.Expect(cards).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("li.video .status")).ToHaveTextAsync(["Canceled", "Canceled", "Canceled"]);
        await page.Locator("#search").FillAsync("giraffe");
        await Assertions.Expect(page.Locator("#empty")).ToHaveTextAsync("No videos match.");

        lock (listRequests)
        {
            output.WriteLine(string.Join("\n", listRequests));
            Assert.Contains(listRequests, q => q.Contains("q=OWL", StringComparison.Ordinal) && q.Contains("status=canceled", StringComparison.Ordinal));
            Assert.Contains(listRequests, q => q.Contains("q=OWL", StringComparison.Ordinal) && !q.Contains("status=", StringComparison.Ordinal));
        }
        watch.AssertClean();
    }

    [Fact]
    public async Task Actions_ByKeyboard_CancelRetryRegenerateDelete_AndAVideoMadeElsewhereAppears()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");
        await using var browser = await BrowserSession.LaunchAsync();
        var (page, watch) = await browser.NewPageAsync(server.BaseUrl);
        await OpenAsync(page, server);
        await Assertions.Expect(page.Locator("#empty")).ToHaveTextAsync("No videos yet.");

        // Made elsewhere (the API, as the CLI or another tab would): it appears without a reload.
        var id = await CreateByApiAsync(server, "made by the command line", new { duration = 6 });
        var card = page.Locator($"li.video[data-id='{id}']");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "queued", new() { Timeout = 20_000 });
        output.WriteLine(watch.ListStreamMissing ? "list stream missing: the page polled" : "list stream present");

        async Task PressAsync(ILocator button)
        {
            await button.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
        }

        // Cancel, retry, cancel again.
        await Assertions.Expect(card.Locator(".retry")).ToBeHiddenAsync();
        await PressAsync(card.Locator(".cancel"));
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "canceled");
        await Assertions.Expect(card.Locator(".status")).ToHaveTextAsync("Canceled");
        // The Cancel button went away with the state; the keyboard focus stays in the card, on its first action.
        await Assertions.Expect(card.Locator(".retry")).ToBeFocusedAsync();
        Assert.Equal("canceled", (await GetByApiAsync(server, id)).GetProperty("status").GetString());
        await PressAsync(card.Locator(".retry"));
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "queued");
        Assert.Equal("queued", (await GetByApiAsync(server, id)).GetProperty("status").GetString());
        await PressAsync(card.Locator(".cancel"));
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "canceled");

        // Regenerate: a new video on top, same request, a new seed.
        await PressAsync(card.Locator(".regenerate"));
        var cards = page.Locator("li.video");
        await Assertions.Expect(cards).ToHaveCountAsync(2);
        var newId = await cards.First.GetAttributeAsync("data-id");
        Assert.NotEqual(id, newId);
        var original = await GetByApiAsync(server, id);
        var regenerated = await GetByApiAsync(server, newId!);
        Assert.Equal(original.GetProperty("prompt").GetString(), regenerated.GetProperty("prompt").GetString());
        Assert.Equal(original.GetProperty("model").GetString(), regenerated.GetProperty("model").GetString());
        Assert.Equal(original.GetProperty("parameters").GetRawText(), regenerated.GetProperty("parameters").GetRawText());
        Assert.Equal(JsonValueKind.Null, original.GetProperty("seed").ValueKind);
        Assert.Equal(JsonValueKind.Number, regenerated.GetProperty("seed").ValueKind);
        await Screenshots.SaveAsync(page, "actions-canceled-and-regenerated");

        // Delete asks once more, then removes the video (its card, and the video for the API).
        var delete = card.Locator(".delete");
        await PressAsync(delete);
        await Assertions.Expect(delete).ToHaveTextAsync("Really delete?");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await Assertions.Expect(cards).ToHaveCountAsync(1);
        using (var gone = await server.Http.GetAsync($"/api/videos/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        watch.AssertClean();
    }

    [Fact]
    public async Task PhoneWidth_InDarkMode_FitsTheScreen_AndGenerates()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync();
        await using var browser = await BrowserSession.LaunchAsync();
        var (page, watch) = await browser.NewPageAsync(server.BaseUrl, new()
        {
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
            ColorScheme = ColorScheme.Dark,
        });
        await OpenAsync(page, server);

        await Prompt(page).FillAsync("a paper boat on a rainy street");
        await GenerateButton(page).TapAsync();
        var card = page.Locator("li.video").First;
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
        await page.WaitForFunctionAsync("v => v.readyState >= 2", await card.Locator("video").ElementHandleAsync(), new() { Timeout = 30_000 });

        var layout = await page.EvaluateAsync<JsonElement>("""
            () => ({
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
              background: getComputedStyle(document.body).backgroundColor,
              cardWidth: document.querySelector("li.video").getBoundingClientRect().width,
              buttonWidth: document.getElementById("submit").getBoundingClientRect().width,
            })
            """);
        output.WriteLine(layout.GetRawText());
        Assert.True(layout.GetProperty("scrollWidth").GetInt32() <= layout.GetProperty("innerWidth").GetInt32(), $"the page scrolls sideways: {layout}");
        Assert.Equal("rgb(21, 21, 24)", layout.GetProperty("background").GetString());
        Assert.True(layout.GetProperty("cardWidth").GetDouble() <= 390, layout.GetRawText());
        await Screenshots.SaveAsync(page, "phone-dark");
        watch.AssertClean();
    }
}
