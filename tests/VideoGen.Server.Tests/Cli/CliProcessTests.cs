using System.Net.Http.Json;
using System.Text.Json;
using VideoGen.Server.Cli;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Cli;

/// <summary>The built <c>videogen</c> executable: verbs, exit codes, and <c>generate</c> against a running server.</summary>
public sealed class CliProcessTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task NoVerb_PrintsUsageAndFails()
    {
        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout);

        Assert.Equal(2, code);
        Assert.Contains("No verb given.", error, StringComparison.Ordinal);
        Assert.Contains("videogen [command] [options]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVerb_PrintsUsageAndFails()
    {
        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout, "frobnicate");

        Assert.Equal(2, code);
        Assert.Contains("error: Unrecognized command or argument 'frobnicate'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RedisBackendWithoutConnectionString_FailsNamingKeyAndFix()
    {
        using var dir = new TempDir();

        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout, "serve", "--urls", "http://127.0.0.1:0",
            $"--VideoGen:DataDir={dir.Path}", "--VideoGen:Queue:Backend=redis");

        Assert.Equal(3, code);
        Assert.Contains("VideoGen:Queue:Backend is 'redis' but ConnectionStrings:Redis is empty", error, StringComparison.Ordinal);
        Assert.Contains("set ConnectionStrings:Redis", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_InvalidAndUnreadableSettings_FailsNamingEveryKey()
    {
        using var dir = new TempDir();

        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout, "worker",
            $"--VideoGen:DataDir={dir.Path}", "--VideoGen:Queue:MaxAttempts=0", "--VideoGen:Pipeline:PollInterval=abc");

        Assert.Equal(3, code);
        Assert.Contains("Configuration error — VideoGen did not start:", error, StringComparison.Ordinal);
        Assert.Contains("  - DataAnnotation validation failed for 'QueueOptions' members: 'MaxAttempts' with the error: 'VideoGen:Queue:MaxAttempts must be from 1 to 100.'.", error, StringComparison.Ordinal);
        Assert.Contains("  - Failed to convert configuration value 'abc' at 'VideoGen:Pipeline:PollInterval' to type 'System.TimeSpan'.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_CreatesDatabaseAndExits()
    {
        using var dir = new TempDir();

        var (code, output, error) = await VideoGenProcess.RunAsync(ExitTimeout, "migrate", $"--VideoGen:DataDir={dir.Path}");

        Assert.True(code == 0, error);
        Assert.Contains("Database is up to date.", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir.Path, "videogen.db")));
    }

    [Fact]
    public async Task Generate_BadSeed_FailsWithMessage()
    {
        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout, "generate", "a fox", "--seed", "minus-one");

        Assert.Equal(2, code);
        Assert.Contains("--seed must be a whole number", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ServerDown_FailsWithMessage()
    {
        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout, "generate", "a fox", "--server", "http://127.0.0.1:9");

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("error: cannot reach the server at http://127.0.0.1:9/", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_AgainstRunningServer_PrintsIdStatusFileAndUrl()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync();
        using var dir = new TempDir();
        var saved = Path.Combine(dir.Path, "lighthouse.mp4");

        var (code, output, error) = await VideoGenProcess.RunAsync(TimeSpan.FromSeconds(120),
            "generate", "a lighthouse in a storm", "--seed", "3", "--wait", "--out", saved, "--server", server.BaseUrl.ToString());

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}\nserver log:\n{server.Log}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches("^[0-9a-f]{32}$", lines[0]);
        Assert.Equal("status: succeeded", lines[1]);
        Assert.Equal("file: " + saved, lines[2]);
        Assert.Equal("ftyp"u8.ToArray(), (await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken))[4..8]);
        var url = new Uri(lines[3]["videoUrl: ".Length..]);
        Assert.Equal(server.BaseUrl.Authority, url.Authority);
        using var http = new HttpClient();
        using var file = await http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal("video/mp4", file.Content.Headers.ContentType?.MediaType);
        var video = await http.GetFromJsonAsync<JsonElement>(new Uri(server.BaseUrl, $"/api/videos/{lines[0]}"), TestContext.Current.CancellationToken);
        Assert.Equal(3, video.GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task Generate_InvalidPrompt_ShowsServerProblem()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");

        var (code, output, error) = await VideoGenProcess.RunAsync(ExitTimeout,
            "generate", "fox", "--model", "no/such-model", "--server", server.BaseUrl.ToString());

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Equal("", output);
        Assert.Contains("error: the server refused the request (400):", error, StringComparison.Ordinal);
        Assert.Contains("model: Unknown model 'no/such-model'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_SeparateProcess_RunsVideosAcceptedByServeWithoutWorkers()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");
        await using var worker = await VideoGenProcess.WorkerLocalAsync(server.DataDir);
        using var dir = new TempDir();

        var (code, output, error) = await VideoGenProcess.RunAsync(TimeSpan.FromSeconds(120),
            "generate", "two processes, one queue", "--out", Path.Combine(dir.Path, "two.mp4"), "--server", server.BaseUrl.ToString());

        Assert.True(code == 0, $"exit {code}\n{output}\n{error}\nserver log:\n{server.Log}\nworker log:\n{worker.Log}");
        Assert.Contains("status: succeeded", output, StringComparison.Ordinal);
    }
}
