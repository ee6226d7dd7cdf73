using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace VideoGen.Server.Tests.Media;

/// <summary>
/// Media shared through the object store by separate processes: a <c>videogen worker</c> renders and
/// ingests into s3rver, a <c>videogen serve</c> without workers (and without the media on its disk)
/// serves the result and its poster.
/// </summary>
public sealed class S3EndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LocalStore_ServeProcess_NeverLoadsTheAwsSdk()
    {
        await using var api = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");

        using var page = await api.Http.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(LoadsAwsSdk(api.Process.Pid), "a serve process with the local media store loaded the AWS SDK");
    }

    /// <summary>Whether the process has AWSSDK.S3.dll mapped (the runtime maps every assembly it loads).</summary>
    private static bool LoadsAwsSdk(int pid) =>
        File.ReadAllText($"/proc/{pid}/maps").Contains("AWSSDK.S3.dll", StringComparison.Ordinal);

    [Fact(Timeout = 300_000)]
    public async Task WorkerIngestsIntoS3_ServeProcessServesIt()
    {
        S3rverServer.UseCredentialsInThisProcess();
        await using var s3 = await S3rverServer.StartAsync(TestContext.Current.CancellationToken);
        string[] s3Args = [.. s3.Settings("redirect").Select(kv => $"--{kv.Key}={kv.Value}")];
        await using var api = await VideoGenProcess.ServeLocalAsync([.. s3Args, "--VideoGen:Workers:Enabled=false"]);
        using var workerDir = new TempDir("vg-s3-worker");
        // The worker shares the app database and queue (SQLite in the API's DataDir) but not the media:
        // its temporary files go to a folder of its own.
        await using var worker = await VideoGenProcess.WorkerLocalAsync(api.DataDir, [.. s3Args, $"--VideoGen:Media:S3:TempDir={workerDir.Path}"]);

        using var created = await api.Http.PostAsJsonAsync("/api/videos", new { prompt = "a lighthouse in the fog", model = "local/preview" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var video = await Eventually.WaitForAsync(
            async () => await api.Http.GetFromJsonAsync<JsonElement>($"/api/videos/{id}", Ct),
            v => v.GetProperty("status").GetString() is "succeeded" or "failed",
            TimeSpan.FromSeconds(120),
            $"video {id} to finish",
            diagnostics: () => $"worker:\n{worker.Log}\napi:\n{api.Log}");

        Assert.Equal("succeeded", video.GetProperty("status").GetString());
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseUrl };
        using var answer = await noRedirect.GetAsync(video.GetProperty("videoUrl").GetString(), Ct);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith(s3.Endpoint.AbsoluteUri, answer.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        var bytes = await api.Http.GetByteArrayAsync(video.GetProperty("videoUrl").GetString(), Ct);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(bytes, 4, 4));
        Assert.True(bytes.Length > 1000, $"{bytes.Length} bytes");
        Assert.True(video.GetProperty("durationSeconds").GetDouble() > 0);
        var poster = await api.Http.GetByteArrayAsync(video.GetProperty("posterUrl").GetString(), Ct);
        Assert.Equal([0xFF, 0xD8], poster[..2]);
        Assert.False(Directory.Exists(Path.Combine(api.DataDir, "media", "videos")), "a video was written to the local media folder");
        Assert.True(LoadsAwsSdk(api.Process.Pid), "the S3 store's process has no AWSSDK.S3 mapped: the check below would prove nothing");
        Assert.Empty(Directory.GetFiles(workerDir.Path, "*", SearchOption.AllDirectories));
    }
}
