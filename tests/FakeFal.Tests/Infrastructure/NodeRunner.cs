using System.Diagnostics;

namespace FakeFal.Tests.Infrastructure;

/// <summary>
/// Runs node/npm for the JavaScript fidelity test. Node is a required service: with CI=true a
/// missing node fails the test; elsewhere the test is skipped with a message.
/// </summary>
public static class NodeRunner
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string JsFolder { get; } = FindJsFolder();

    public static void RequireNode()
    {
        if (OnPath("node") && OnPath("npm"))
        {
            return;
        }

        const string message = "node and npm are required for the @fal-ai/client fidelity test (not found on PATH).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }

    /// <summary>Installs the pinned client once (npm ci from the committed lock file); later runs reuse node_modules.</summary>
    public static async Task EnsurePackagesAsync()
    {
        await InstallGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (File.Exists(Path.Combine(JsFolder, "node_modules", "@fal-ai", "client", "package.json")))
            {
                return;
            }

            var (code, stdout, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>(), TimeSpan.FromMinutes(5));
            Assert.True(code == 0, $"npm ci failed ({code}):\n{stdout}\n{stderr}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string[] args, IDictionary<string, string> env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = JsFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s.\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static bool OnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));

    private static string FindJsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "FakeFal.Tests", "js");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/FakeFal.Tests/js not found above " + AppContext.BaseDirectory);
    }
}
