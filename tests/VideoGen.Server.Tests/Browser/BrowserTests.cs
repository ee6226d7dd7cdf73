using System.Text.Json;
using Microsoft.Playwright;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Browser;

/// <summary>
/// A person's path through the page in headless Chromium (Debian's, via Playwright; no
/// downloaded browsers): type a prompt, submit, watch it succeed, and check the video really plays,
/// from the local media folder and from an S3-compatible object store (s3rver) the API redirects to.
/// </summary>
public sealed class BrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Page_PromptToPlayingVideo()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync();
        await PromptToPlayingVideoAsync(server, _ => { });
    }

    [Fact]
    public async Task Page_PromptToPlayingVideo_FromObjectStore()
    {
        S3rverServer.UseCredentialsInThisProcess();
        await using var s3 = await S3rverServer.StartAsync(TestContext.Current.CancellationToken);
        await using var server = await VideoGenProcess.ServeLocalAsync([.. s3.Settings("redirect").Select(kv => $"--{kv.Key}={kv.Value}")]);
        var fromStore = new List<(string Url, int Status)>();

        await PromptToPlayingVideoAsync(server, page => page.Response += (_, r) =>
        {
            if (r.Url.StartsWith(s3.Endpoint.AbsoluteUri, StringComparison.Ordinal))
            {
                lock (fromStore)
                {
                    fromStore.Add((r.Url, r.Status));
                }
            }
        });

        lock (fromStore)
        {
            output.WriteLine(string.Join("\n", fromStore.Select(r => $"{r.Status} {r.Url[..r.Url.IndexOf('?', StringComparison.Ordinal)]}")));
            Assert.Contains(fromStore, r => r.Status == 206 && r.Url.Contains("/videos/", StringComparison.Ordinal));
            Assert.Contains(fromStore, r => r.Status == 200 && r.Url.Contains("/posters/", StringComparison.Ordinal));
        }
        Assert.False(Directory.Exists(Path.Combine(server.DataDir, "media", "videos")), "no video was written to the local media folder");
    }

    private async Task PromptToPlayingVideoAsync(VideoGenProcess server, Action<IPage> watch)
    {
        await using var browser = await BrowserSession.LaunchAsync();
        var (page, pageWatch) = await browser.NewPageAsync(server.BaseUrl);
        watch(page);

        await page.GotoAsync(server.BaseUrl.ToString());
        await page.GetByLabel("Prompt", new() { Exact = true }).FillAsync("a red fox running through snow");
        await Assertions.Expect(page.Locator("#model option[value='local/preview']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();

        var card = page.Locator("li.video").First;
        await Assertions.Expect(card.Locator(".prompt")).ToHaveTextAsync("a red fox running through snow", new() { Timeout = 15_000 });
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
        var video = card.Locator("video");
        await Assertions.Expect(video).ToHaveCountAsync(1);
        await page.WaitForFunctionAsync("v => v.readyState >= 2", await video.ElementHandleAsync(), new() { Timeout = 30_000 });

        var state = await video.EvaluateAsync<JsonElement>("v => ({ readyState: v.readyState, duration: v.duration, videoWidth: v.videoWidth, poster: v.poster })");
        output.WriteLine(state.GetRawText());
        Assert.True(state.GetProperty("readyState").GetInt32() >= 2, state.GetRawText());
        Assert.True(state.GetProperty("duration").GetDouble() > 0, state.GetRawText());
        Assert.True(state.GetProperty("videoWidth").GetInt32() > 0, state.GetRawText());
        Assert.Contains("/media/posters/", state.GetProperty("poster").GetString(), StringComparison.Ordinal);
        pageWatch.AssertClean();
    }
}
