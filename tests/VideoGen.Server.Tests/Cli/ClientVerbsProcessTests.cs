using System.Net;
using System.Text.Json;
using VideoGen.Server.Cli;

namespace VideoGen.Server.Tests.Cli;

/// <summary>
/// The client verbs of the built <c>videogen</c> as processes against a real <c>videogen serve</c>: their output
/// (plain and <c>--json</c>) and their exit codes for every outcome.
/// </summary>
public sealed class ClientVerbsProcessTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    private static Task<(int ExitCode, string Output, string Error)> Cli(VideoGenProcess server, params string[] args) =>
        VideoGenProcess.RunAsync(ExitTimeout, [.. args, "--server", server.BaseUrl.ToString()]);

    private static string Explain((int ExitCode, string Output, string Error) run, VideoGenProcess server) =>
        $"exit {run.ExitCode}\n{run.Output}\n{run.Error}\nserver log:\n{server.Log}";

    [Fact]
    public async Task GenerateNoWait_ThenWatchStatusListDownloadDelete()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync();
        using var dir = new TempDir();

        var generate = await Cli(server, "generate", "a heron at dawn", "--option", "duration=2", "--seed", "8", "--no-wait");
        Assert.True(generate.ExitCode == 0, Explain(generate, server));
        var id = generate.Output.Trim();
        Assert.Matches("^[0-9a-f]{32}$", id);

        var watch = await Cli(server, "watch", id, "--json", "--timeout", "90");
        Assert.True(watch.ExitCode == 0, Explain(watch, server));
        var events = watch.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("succeeded", events[^1].GetProperty("status").GetString());
        Assert.Equal(2, events[^1].GetProperty("parameters").GetProperty("duration").GetInt32());

        var status = await Cli(server, "status", id);
        Assert.True(status.ExitCode == 0, Explain(status, server));
        Assert.Contains($"id: {id}", status.Output, StringComparison.Ordinal);
        Assert.Contains("status: succeeded", status.Output, StringComparison.Ordinal);
        Assert.Contains("seed: 8", status.Output, StringComparison.Ordinal);

        var list = await Cli(server, "list", "--json", "--status", "succeeded", "--search", "HERON");
        Assert.True(list.ExitCode == 0, Explain(list, server));
        var items = JsonDocument.Parse(list.Output).RootElement.GetProperty("items");
        Assert.Equal(id, Assert.Single(items.EnumerateArray()).GetProperty("id").GetString());

        var saved = Path.Combine(dir.Path, "heron.mp4");
        var download = await Cli(server, "download", id, "--out", saved);
        Assert.True(download.ExitCode == 0, Explain(download, server));
        Assert.Equal("file: " + saved, download.Output.Trim());
        Assert.Equal("ftyp"u8.ToArray(), (await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken))[4..8]);

        var delete = await Cli(server, "delete", id, "--json");
        Assert.True(delete.ExitCode == 0, Explain(delete, server));
        Assert.True(JsonDocument.Parse(delete.Output).RootElement.GetProperty("deleted").GetBoolean());

        var gone = await Cli(server, "status", id);
        Assert.Equal(ExitCodes.NotFound, gone.ExitCode);
        Assert.StartsWith("error: not found (404): Video not found", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ThenWatchExitsCanceled_AndDeleteOfAnUnfinishedVideoIsRefused()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");

        var waiting = (await Cli(server, "generate", "a fox that waits", "--no-wait")).Output.Trim();
        var other = (await Cli(server, "generate", "another waiting fox", "--no-wait", "--json")).Output;
        var otherId = JsonDocument.Parse(other).RootElement.GetProperty("id").GetString()!;

        var refused = await Cli(server, "delete", otherId);
        Assert.Equal(ExitCodes.Refused, refused.ExitCode);
        Assert.Contains("error: the server refused the request (409): Video not finished", refused.Error, StringComparison.Ordinal);

        var cancel = await Cli(server, "cancel", waiting);
        Assert.True(cancel.ExitCode == 0, Explain(cancel, server));
        Assert.Equal("status: canceled", cancel.Output.Trim());

        var watch = await Cli(server, "watch", waiting);
        Assert.Equal(ExitCodes.Canceled, watch.ExitCode);
        Assert.Contains("status: canceled", watch.Output, StringComparison.Ordinal);
        Assert.Contains($"error: video {waiting} was canceled", watch.Error, StringComparison.Ordinal);

        var timeout = await Cli(server, "watch", otherId, "--timeout", "1", "--json");
        Assert.Equal(ExitCodes.TimedOut, timeout.ExitCode);
        var error = JsonDocument.Parse(timeout.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("error");
        Assert.Equal(ExitCodes.TimedOut, error.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task WithAccounts_NoKeyOrAWrongKey_ExitsUnauthorized()
    {
        await using var server = await VideoGenProcess.ServeLocalAsync("--VideoGen:Workers:Enabled=false");
        var add = await VideoGenProcess.RunAsync(ExitTimeout, "users", "add", "owner@example.com", "--password", "a long enough password", $"--VideoGen:DataDir={server.DataDir}");
        Assert.True(add.ExitCode == 0, add.Error);
        // The server re-checks for accounts at most once a second.
        await Eventually.TrueAsync(async () =>
        {
            using var response = await server.Http.GetAsync("/api/videos", TestContext.Current.CancellationToken);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(10), "the server to leave single-user mode");

        var noKey = await Cli(server, "list");
        var wrongKey = await Cli(server, "list", "--api-key", "vg_not_a_key");

        Assert.Equal(ExitCodes.Unauthorized, noKey.ExitCode);
        Assert.StartsWith("error: not signed in: pass --api-key KEY (or set VIDEOGEN_API_KEY) (401)", noKey.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Unauthorized, wrongKey.ExitCode);
    }
}
