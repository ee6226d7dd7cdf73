using System.Diagnostics;
using System.Security.Cryptography;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Local;
using VideoGen.Core.Tests.Support;

namespace VideoGen.Core.Tests.Providers;

public class LocalPreviewProviderTests
{
    private static ProviderRequest Request(string videoId, string prompt = "a lighthouse at dusk, waves: \"crashing\" 100% {pts} 'quoted' \\ ; [x]", long? seed = 42, string? parameters = null) =>
        new(videoId, "local/preview", prompt, seed, parameters, null, null, null);

    private static async Task<ProviderStatus> WaitForTerminalAsync(IVideoProvider provider, ProviderHandle handle, TimeSpan timeout)
    {
        ProviderStatus status = new(ProviderPhase.InQueue);
        await Eventually.TrueAsync(async () =>
        {
            status = await provider.GetStatusAsync(handle, TestContext.Current.CancellationToken);
            return status.Phase is ProviderPhase.Completed or ProviderPhase.Failed or ProviderPhase.NotFound;
        }, timeout, $"request {handle.RequestId} to finish");
        return status;
    }

    [Fact]
    public async Task Render_FourSecondDefault_IsPlayableH264At16x9()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path);

        var sw = Stopwatch.StartNew();
        var handle = await provider.SubmitAsync(Request("vid-1"), ct);
        var status = await WaitForTerminalAsync(provider, handle, TimeSpan.FromSeconds(60));
        var elapsed = sw.Elapsed;

        Assert.Equal(ProviderPhase.Completed, status.Phase);
        Assert.Equal("local", handle.Provider);
        var result = await provider.GetResultAsync(handle, ct);
        Assert.True(result.VideoUrl.IsFile);
        var probe = await Tools.Media.ProbeAsync(result.VideoUrl.LocalPath, ct);
        Assert.Equal("h264", probe.VideoCodec);
        Assert.Equal(640, probe.Width);
        Assert.Equal(360, probe.Height);
        Assert.InRange(probe.DurationSeconds, 3.9, 4.2);
        TestContext.Current.SendDiagnosticMessage($"Local render of a 4 s clip (no simulated latency): {elapsed.TotalSeconds:0.00} s");
    }

    [Theory]
    [InlineData("9:16", 360, 640)]
    [InlineData("1:1", 480, 480)]
    public async Task Render_AspectRatioAndDuration_AreHonoured(string aspect, int width, int height)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path);

        var handle = await provider.SubmitAsync(Request("vid-ar", parameters: $$"""{"duration":2,"aspect_ratio":"{{aspect}}"}"""), ct);
        Assert.Equal(ProviderPhase.Completed, (await WaitForTerminalAsync(provider, handle, TimeSpan.FromSeconds(60))).Phase);

        var probe = await Tools.Media.ProbeAsync((await provider.GetResultAsync(handle, ct)).VideoUrl.LocalPath, ct);
        Assert.Equal((width, height), (probe.Width, probe.Height));
        Assert.InRange(probe.DurationSeconds, 1.9, 2.2);
    }

    [Fact]
    public async Task Render_SamePromptAndSeed_GivesSameBytes_DifferentPrompt_Differs()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path, slots: 2);
        const string twoSeconds = """{"duration":2}""";

        var a = await provider.SubmitAsync(Request("det-a", "a red balloon", 7, twoSeconds), ct);
        var b = await provider.SubmitAsync(Request("det-b", "a red balloon", 7, twoSeconds), ct);
        var c = await provider.SubmitAsync(Request("det-c", "a blue whale", 7, twoSeconds), ct);
        foreach (var h in new[] { a, b, c })
        {
            Assert.Equal(ProviderPhase.Completed, (await WaitForTerminalAsync(provider, h, TimeSpan.FromSeconds(90))).Phase);
        }

        async Task<string> Hash(ProviderHandle h) =>
            Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync((await provider.GetResultAsync(h, ct)).VideoUrl.LocalPath, ct)));
        Assert.NotEqual(a.RequestId, b.RequestId);
        Assert.Equal(await Hash(a), await Hash(b));
        Assert.NotEqual(await Hash(a), await Hash(c));
    }

    [Fact]
    public void Scene_DifferentSeeds_GiveDifferentScenes()
    {
        var s1 = LocalScene.Create("same prompt", 1, 4, "16:9", drawText: false, fontPath: null);
        var s2 = LocalScene.Create("same prompt", 2, 4, "16:9", drawText: false, fontPath: null);

        Assert.NotEqual(s1.Filter, s2.Filter);
        Assert.Equal(s1.Filter, LocalScene.Create("same prompt", 1, 4, "16:9", drawText: false, fontPath: null).Filter);
    }

    [Fact]
    public void Scene_PromptText_NeverEntersTheFilterGraph()
    {
        var scene = LocalScene.Create("evil',drawtext=text=pwned:x=0[out];movie=/etc/passwd", 1, 4, "16:9", drawText: true, fontPath: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

        Assert.DoesNotContain("pwned", scene.Filter, StringComparison.Ordinal);
        Assert.DoesNotContain("passwd", scene.Filter, StringComparison.Ordinal);
        Assert.Contains("textfile=prompt.txt", scene.Filter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_TwiceForOneVideo_ReattachesToTheSameRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path);

        var first = await provider.SubmitAsync(Request("same-video", parameters: """{"duration":2}"""), ct);
        var second = await provider.SubmitAsync(Request("same-video", parameters: """{"duration":2}"""), ct);

        Assert.Equal(first, second);
        Assert.Single(Directory.GetDirectories(dir.Path));
    }

    [Fact]
    public async Task Queue_SecondRequestWaitsWithPosition_WhenOneSlot()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path, queueDelay: TimeSpan.Zero, minRender: TimeSpan.FromSeconds(3), slots: 1);

        var first = await provider.SubmitAsync(Request("q-1", parameters: """{"duration":2}"""), ct);
        await Eventually.TrueAsync(async () => (await provider.GetStatusAsync(first, ct)).Phase == ProviderPhase.InProgress, TimeSpan.FromSeconds(10), "first request to start rendering");
        var second = await provider.SubmitAsync(Request("q-2", parameters: """{"duration":2}"""), ct);

        var waiting = await provider.GetStatusAsync(second, ct);
        Assert.Equal(ProviderPhase.InQueue, waiting.Phase);
        Assert.Equal(0, waiting.QueuePosition);
        ProviderStatus rendering = new(ProviderPhase.InQueue);
        await Eventually.TrueAsync(async () => (rendering = await provider.GetStatusAsync(first, ct)).Progress is > 0 and < 1, TimeSpan.FromSeconds(10), "progress from ffmpeg -progress");
        Assert.Contains(rendering.Logs!, l => l.StartsWith("frame ", StringComparison.Ordinal));
        Assert.Equal(ProviderPhase.Completed, (await WaitForTerminalAsync(provider, second, TimeSpan.FromSeconds(60))).Phase);
    }

    [Fact]
    public async Task Status_AfterRestart_CompletedRequestIsStillCompleted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        ProviderHandle handle;
        using (var before = Tools.LocalProvider(dir.Path))
        {
            handle = await before.SubmitAsync(Request("restart-done", parameters: """{"duration":2}"""), ct);
            Assert.Equal(ProviderPhase.Completed, (await WaitForTerminalAsync(before, handle, TimeSpan.FromSeconds(60))).Phase);
        }

        using var after = Tools.LocalProvider(dir.Path);
        Assert.Equal(ProviderPhase.Completed, (await after.GetStatusAsync(handle, ct)).Phase);
        Assert.True(File.Exists((await after.GetResultAsync(handle, ct)).VideoUrl.LocalPath));
    }

    [Fact]
    public async Task Status_AfterRestart_InterruptedRenderIsRenderedAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        ProviderHandle handle;
        var before = Tools.LocalProvider(dir.Path, minRender: TimeSpan.FromSeconds(30));
        handle = await before.SubmitAsync(Request("restart-mid", parameters: """{"duration":2}"""), ct);
        await Eventually.TrueAsync(async () => (await before.GetStatusAsync(handle, ct)).Phase == ProviderPhase.InProgress, TimeSpan.FromSeconds(10), "render to start");
        before.Dispose(); // the "crash": ffmpeg is killed, nothing is marked

        using var after = Tools.LocalProvider(dir.Path);
        var resumed = await after.GetStatusAsync(handle, ct);
        Assert.True(resumed.Phase is ProviderPhase.InQueue or ProviderPhase.InProgress, $"expected the render to restart, got {resumed.Phase}");
        Assert.Equal(ProviderPhase.Completed, (await WaitForTerminalAsync(after, handle, TimeSpan.FromSeconds(60))).Phase);
    }

    [Fact]
    public async Task Status_UnknownOrForgedRequestId_IsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path);

        Assert.Equal(ProviderPhase.NotFound, (await provider.GetStatusAsync(new ProviderHandle("local", "local/preview", "lp-" + new string('a', 32)), ct)).Phase);
        Assert.Equal(ProviderPhase.NotFound, (await provider.GetStatusAsync(new ProviderHandle("local", "local/preview", "../../etc"), ct)).Phase);
    }

    [Fact]
    public async Task Cancel_WhileRendering_KillsFfmpegAndFails()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path, minRender: TimeSpan.FromSeconds(60));
        var handle = await provider.SubmitAsync(Request("cancel-me"), ct);
        await Eventually.TrueAsync(async () => (await provider.GetStatusAsync(handle, ct)).Phase == ProviderPhase.InProgress, TimeSpan.FromSeconds(10), "render to start");

        var sw = Stopwatch.StartNew();
        Assert.True(await provider.CancelAsync(handle, ct));
        var status = await WaitForTerminalAsync(provider, handle, TimeSpan.FromSeconds(10));

        Assert.Equal(ProviderPhase.Failed, status.Phase);
        Assert.Equal("canceled", status.ErrorType);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<ProviderException>(() => provider.GetResultAsync(handle, ct));
    }

    [Fact]
    public async Task Submit_UnknownModelOrBadParameters_IsPermanent()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        using var provider = Tools.LocalProvider(dir.Path);

        var wrongModel = await Assert.ThrowsAsync<ProviderException>(() => provider.SubmitAsync(Request("m") with { Model = "fal-ai/x" }, ct));
        var badDuration = await Assert.ThrowsAsync<ProviderException>(() => provider.SubmitAsync(Request("d", parameters: """{"duration":60}"""), ct));

        Assert.Equal(ProviderErrorKind.Permanent, wrongModel.Kind);
        Assert.Equal(ProviderErrorKind.Permanent, badDuration.Kind);
    }
}
