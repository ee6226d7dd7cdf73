using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VideoGen.Server.Tests.Cluster;

/// <summary>
/// <c>scripts/cluster.sh</c> end to end with a small run: a cluster on simulated hosts (network
/// namespaces: PostgreSQL, Redis with sentinels, s3rver, FakeFal, HAProxy, two API hosts, three
/// workers), 20 videos through the load balancer while worker1 dies, worker2 is cut off for 30 s,
/// the Redis primary dies and api2 stops. The ledger's must-be-zero lines (submitted twice, lost,
/// stuck, unplayable through either API host, SSE streams that never saw their video finish) must be
/// zero and every accepted video must have finished. Needs root (ip netns), which scripts/test.sh
/// has on Debian; without it the test fails saying so. Uses the programs the solution build made.
/// </summary>
[Collection(Chaos.ChaosCollection.Name)]
public sealed class ClusterScriptTests(ITestOutputHelper output)
{
    private const int Videos = 20;

    [Fact(Timeout = 600_000)]
    public async Task TwentyVideosThroughFourFaults_NothingLostStuckOrSubmittedTwice_EveryVideoPlaysThroughBothApiHosts()
    {
        Assert.True(Environment.IsPrivilegedProcess,
            "scripts/cluster.sh builds network namespaces and needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN): run the tests as root, as scripts/test.sh does on Debian.");
        var driver = RepoPaths.Output("tools/ClusterDriver", "ClusterDriver.dll");
        Assert.True(File.Exists(driver), $"{driver} is not built: build the solution first (dotnet build VideoGen.slnx, or scripts/test.sh).");

        var (exit, stdout, stderr) = await RunScriptAsync(TimeSpan.FromMinutes(9), TestContext.Current.CancellationToken);
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.True(exit == 0, $"scripts/cluster.sh exited with {exit}:\n{stdout}\n{Tail(stderr, 60)}");
        Assert.Contains("OK: every must-be-zero line is 0", stdout, StringComparison.Ordinal);
        foreach (var line in new[] { "submitted twice", "lost", "stuck", "unplayable through api1", "unplayable through api2", "hosts answering different bytes", "ended without the terminal event" })
        {
            Assert.Equal(0, Count(stdout, line));
        }
        var accepted = Count(stdout, "accepted (video rows)");
        Assert.True(accepted >= Videos, $"only {accepted} videos were accepted of {Videos}");
        Assert.Equal(accepted, Count(stdout, "succeeded") + Count(stdout, "failed") + Count(stdout, "canceled"));
        Assert.Equal(Count(stdout, "succeeded"), Count(stdout, "media checked through each API host"));
        Assert.Contains("Redis primary killed", stdout, StringComparison.Ordinal);
        Assert.Contains("worker2 cut off for 30 s", stdout, StringComparison.Ordinal);
    }

    /// <summary>The number on the ledger line that starts with <paramref name="name"/>.</summary>
    private static int Count(string ledger, string name)
    {
        var match = Regex.Match(ledger, @"^\s+" + Regex.Escape(name) + @"\s+(\d+)", RegexOptions.Multiline);
        Assert.True(match.Success, $"the ledger has no line '{name}':\n{ledger}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunScriptAsync(TimeSpan timeout, CancellationToken ct)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in new[] { Path.Combine(RepoPaths.Root, "scripts", "cluster.sh"), "--videos", Videos.ToString(CultureInfo.InvariantCulture), "--no-build", "--configuration", RepoPaths.Configuration })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM to the script only: its trap tears the cluster down (every process of its namespaces).
            Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit(5000);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            throw new TimeoutException($"scripts/cluster.sh did not finish within {timeout.TotalMinutes:0} min:\n{await stdout}\n{Tail(await stderr, 60)}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Tail(string text, int lines) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));
}
