using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Browser;

/// <summary>
/// The page with fal's models (through FakeFal, which also serves fal's storage API): the options form follows each
/// model's schema and its price; an image-to-video model takes an image by file picker or drop, shows it, uploads it
/// through <c>/api/uploads</c>, and the video generated from it plays.
/// </summary>
public sealed class FalPageTests(StorageFalStack stack, ITestOutputHelper output) : IClassFixture<StorageFalStack>
{
    private static ILocator Prompt(IPage page) => page.GetByLabel("Prompt", new() { Exact = true });

    private async Task<(BrowserSession Browser, IPage Page, PageWatch Watch)> OpenAsync()
    {
        var browser = await BrowserSession.LaunchAsync();
        var (page, watch) = await browser.NewPageAsync(stack.Server.BaseUrl, new() { ViewportSize = new() { Width = 1200, Height = 1000 } });
        await page.GotoAsync(stack.Server.BaseUrl.ToString());
        await Assertions.Expect(page.Locator($"#model option[value='{FalStack.ImageToVideo}']")).ToHaveCountAsync(1);
        return (browser, page, watch);
    }

    [Fact]
    public async Task OptionsForm_FollowsEachModelsSchema_AndTheEstimateFollowsTheOptions()
    {
        var (browser, page, watch) = await OpenAsync();
        await using var _ = browser;

        // local/preview: integer duration and an aspect ratio; a seed; no negative prompt, no image; free.
        await page.Locator("#model").SelectOptionAsync("local/preview");
        Assert.Equal(["duration", "aspect_ratio"], await page.Locator("#options-fields .option").EvaluateAllAsync<string[]>("fs => fs.map(f => f.dataset.parameter)"));
        await Assertions.Expect(page.Locator("#opt-duration")).ToHaveAttributeAsync("type", "number");
        await Assertions.Expect(page.Locator("#seed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#negative-prompt")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: Free");

        // Kling text-to-video: duration is one of 5 or 10, cfg scale a number in 0–1; a negative prompt but no seed; priced by length.
        await page.Locator("#model").SelectOptionAsync(FalStack.TextToVideo);
        Assert.Equal(["duration", "aspect_ratio", "cfg_scale"], await page.Locator("#options-fields .option").EvaluateAllAsync<string[]>("fs => fs.map(f => f.dataset.parameter)"));
        Assert.Equal(["5", "10"], await page.Locator("#opt-duration option").AllTextContentsAsync());
        await Assertions.Expect(page.Locator("#opt-duration")).ToHaveValueAsync("5");
        await Assertions.Expect(page.Locator("#opt-cfg_scale")).ToHaveAttributeAsync("min", "0");
        await Assertions.Expect(page.Locator("#opt-cfg_scale")).ToHaveAttributeAsync("max", "1");
        await Assertions.Expect(page.Locator("label[for='opt-cfg_scale']")).ToHaveTextAsync("Cfg scale (0–1, default 0.5)");
        await Assertions.Expect(page.Locator("#negative-prompt")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#seed")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#image-file")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: $0.28");
        await page.Locator("#opt-duration").SelectOptionAsync("10");
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: $0.56");
        await Screenshots.SaveAsync(page, "options-kling");

        // Veo 3: audio is a checkbox that halves the price when cleared.
        await page.Locator("#model").SelectOptionAsync("fal-ai/veo3");
        await Assertions.Expect(page.Locator("#opt-generate_audio")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: $3.20");
        await page.Locator("#opt-generate_audio").UncheckAsync();
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: $1.60");
        await page.Locator("#opt-duration").SelectOptionAsync("4s");
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: $0.80");
        watch.AssertClean();
    }

    [Fact]
    public async Task ImageToVideo_PickedImageIsShownUploadedAndAnimated()
    {
        await stack.FakeFal.ResetAsync();
        var png = await TestImageAsync();
        var (browser, page, watch) = await OpenAsync();
        await using var _ = browser;

        await page.Locator("#model").SelectOptionAsync(FalStack.ImageToVideo);
        await Assertions.Expect(page.Locator("#image-file")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#image-required")).ToBeVisibleAsync();
        await Prompt(page).FillAsync("the test card starts to dance");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#form-error")).ToHaveTextAsync("This model animates an image: drop one or choose a file first.");

        // Dropped onto the zone (as a person drags a file from their desktop).
        await page.EvaluateAsync("""
            async (base64) => {
              const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
              const data = new DataTransfer();
              data.items.add(new File([bytes], "card.png", { type: "image/png" }));
              document.getElementById("drop-zone").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
            }
            """, Convert.ToBase64String(png));
        await Assertions.Expect(page.Locator("#image-status")).ToHaveTextAsync("Uploaded card.png.");
        var preview = page.Locator("#image-preview-img");
        await Assertions.Expect(preview).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^/media/uploads/[0-9a-f]{32}\\.png$"));
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth === 320", await preview.ElementHandleAsync());

        // Replaced through the file picker.
        await page.Locator("#image-file").SetInputFilesAsync(new FilePayload { Name = "picked.png", MimeType = "image/png", Buffer = png });
        await Assertions.Expect(page.Locator("#image-status")).ToHaveTextAsync("Uploaded picked.png.");
        var imageUrl = await preview.GetAttributeAsync("src");
        await page.Locator("#negative-prompt").FillAsync("blur");
        await Assertions.Expect(page.Locator("#estimate")).ToHaveTextAsync("Estimated cost: $0.28");
        await Screenshots.SaveAsync(page, "image-to-video-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();

        var card = page.Locator("li.video").First;
        await Assertions.Expect(card.Locator(".prompt")).ToHaveTextAsync("the test card starts to dance");
        await Assertions.Expect(card.Locator(".cost")).ToHaveTextAsync("Est. $0.28");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 90_000 });
        await page.WaitForFunctionAsync("v => v.readyState >= 2 && v.duration > 0", await card.Locator("video").ElementHandleAsync(), new() { Timeout = 30_000 });
        var id = await card.GetAttributeAsync("data-id");
        var video = await stack.GetVideoAsync(id!);
        output.WriteLine(video.GetRawText());
        Assert.Equal(imageUrl, FalStack.Text(video, "imageUrl"));
        Assert.Equal("blur", FalStack.Text(video, "negativePrompt"));
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(await stack.FakeFal.StatsAsync(), id!));
        await Screenshots.SaveAsync(page, "image-to-video-done");
        watch.AssertClean();
    }

    [Fact]
    public async Task RunningVideos_ShowProviderQueuePositionLogsAndElapsedTime_AndCancel()
    {
        await stack.FakeFal.ResetAsync();
        // One slot at the provider and long generations: the first video generates (with logs), the second waits in fal's queue.
        await stack.FakeFal.ConfigureAsync("""{"queue":{"slots":1,"inProgress":"00:01:00","logInterval":"00:00:00.300"}}""");
        try
        {
            var (browser, page, watch) = await OpenAsync();
            await using var _ = browser;
            await page.Locator("#model").SelectOptionAsync(FalStack.TextToVideo);
            foreach (var prompt in new[] { "a hot air balloon over the desert", "a tram in the evening rain" })
            {
                await Prompt(page).FillAsync(prompt);
                await page.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
                await Assertions.Expect(page.Locator("li.video .prompt").First).ToHaveTextAsync(prompt);
            }

            // Which of the two gets fal's one slot depends on which submit arrives first.
            await Assertions.Expect(page.Locator("li.video[data-status='generating']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("li.video[data-status='in_queue']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            var generating = page.Locator($"li.video[data-id='{await page.Locator("li.video[data-status='generating']").GetAttributeAsync("data-id")}']");
            var waiting = page.Locator($"li.video[data-id='{await page.Locator("li.video[data-status='in_queue']").GetAttributeAsync("data-id")}']");
            await Assertions.Expect(generating).ToHaveAttributeAsync("data-status", "generating");
            await Assertions.Expect(generating.Locator(".status")).ToHaveTextAsync("Generating");
            await Assertions.Expect(generating.Locator(".logs")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Assertions.Expect(generating.Locator(".elapsed")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d+ s so far$"));
            await Assertions.Expect(generating.Locator(".cost")).ToHaveTextAsync("Est. $0.28");
            await Assertions.Expect(waiting.Locator(".status")).ToHaveTextAsync("In provider queue");
            await Assertions.Expect(waiting.Locator(".position")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Provider queue: (next|\\d+ ahead)$"), new() { Timeout = 20_000 });
            await Assertions.Expect(generating.Locator(".retry")).ToBeHiddenAsync();
            await Assertions.Expect(generating.Locator(".delete")).ToBeHiddenAsync();
            output.WriteLine(await generating.Locator(".logs").TextContentAsync() ?? "");
            await Screenshots.SaveAsync(page, "running-videos");

            // Cancel both: the generating one stops at the provider, the waiting one leaves fal's queue.
            await generating.Locator(".cancel").ClickAsync();
            await waiting.Locator(".cancel").ClickAsync();
            await Assertions.Expect(generating).ToHaveAttributeAsync("data-status", "canceled", new() { Timeout = 30_000 });
            await Assertions.Expect(waiting).ToHaveAttributeAsync("data-status", "canceled", new() { Timeout = 30_000 });
            await Assertions.Expect(generating.Locator(".retry")).ToBeVisibleAsync();
            foreach (var id in new[] { await waiting.GetAttributeAsync("data-id"), await generating.GetAttributeAsync("data-id") })
            {
                Assert.Equal("canceled", FalStack.Status(await stack.GetVideoAsync(id!)));
            }
            watch.AssertClean();
        }
        finally
        {
            await stack.FakeFal.ResetAsync();
        }
    }

    /// <summary>A 320×180 PNG test card, drawn by ffmpeg.</summary>
    private static async Task<byte[]> TestImageAsync()
    {
        using var dir = new TempDir("videogen-page-image");
        var path = Path.Combine(dir.Path, "card.png");
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1", "-y", path])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var error = await ffmpeg.StandardError.ReadToEndAsync(timeout.Token);
        await ffmpeg.WaitForExitAsync(timeout.Token);
        Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not draw the test image: {error}");
        return await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
    }
}
