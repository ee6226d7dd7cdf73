using System.Diagnostics;
using System.Net.Sockets;

namespace VideoGen.Testing;

/// <summary>
/// A real S3-compatible server for the media tests: <c>s3rver</c> (npm, pinned to <see cref="Version"/>),
/// installed on first use with npm into <c>artifacts/test-tools/s3rver</c> of the checkout (git-ignored;
/// one install shared by every test project, under a file lock), started with node on a free
/// loopback port with its own data dir and one bucket, <see cref="Bucket"/>, and stopped by pid.
/// Its account is s3rver's fixed <see cref="AccessKey"/>/<see cref="SecretKey"/>. With <c>CI=true</c>
/// missing node or npm fails the test; elsewhere the test is skipped with a reason.
/// </summary>
public sealed class S3rverServer : IAsyncDisposable
{
    public const string Version = "3.7.1";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string Bucket = "videogen-media";

    private readonly Process _process;
    private readonly TempDir _data;

    private S3rverServer(Process process, TempDir data, int port)
    {
        _process = process;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>The settings that point a videogen process at this server (path-style, the test bucket).</summary>
    public Dictionary<string, string?> Settings(string serve = "redirect") => new(StringComparer.Ordinal)
    {
        ["VideoGen:Media:Store"] = "s3",
        ["VideoGen:Media:S3:Endpoint"] = Endpoint.AbsoluteUri,
        ["VideoGen:Media:S3:Bucket"] = Bucket,
        ["VideoGen:Media:S3:ForcePathStyle"] = "true",
        ["VideoGen:Media:S3:Serve"] = serve,
    };

    /// <summary>The AWS credential variables a child process needs (the SDK's default chain reads them).</summary>
    public static Dictionary<string, string> CredentialEnvironment() => new(StringComparer.Ordinal)
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
    };

    /// <summary>
    /// Puts the credentials in this process's environment, for in-process hosts that use the SDK's
    /// default chain. Every test using s3rver sets the same values, so the order does not matter.
    /// </summary>
    public static void UseCredentialsInThisProcess()
    {
        foreach (var (name, value) in CredentialEnvironment())
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public static async Task<S3rverServer> StartAsync(CancellationToken ct = default)
    {
        var script = await EnsureInstalledAsync(ct);
        var data = new TempDir("vg-s3rver");
        var port = LoopbackPort.Free();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "-d", data.Path, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--configure-bucket", Bucket })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start s3rver.");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null && log.Count < 200) { log.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null && log.Count < 200) { log.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new S3rverServer(process, data, port);
        var deadline = Stopwatch.StartNew();
        while (!await server.AcceptsConnectionsAsync(ct))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                var why = process.HasExited ? $"exited with {process.ExitCode}" : "did not listen within 30 s";
                await server.DisposeAsync();
                throw new InvalidOperationException($"s3rver on port {port} {why}: {string.Join('\n', log)}");
            }
            await Task.Delay(100, ct);
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        _data.Dispose();
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The s3rver CLI script, installing it first when missing. Returns its path.</summary>
    private static async Task<string> EnsureInstalledAsync(CancellationToken ct)
    {
        var dir = Path.Combine(RepoPaths.Root, "artifacts", "test-tools", "s3rver-" + Version);
        var script = Path.Combine(dir, "node_modules", "s3rver", "bin", "s3rver.js");
        if (File.Exists(script))
        {
            return script;
        }
        if (Which("node") is null || Which("npm") is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("node and npm are needed to run s3rver (scripts/test.sh installs them). CI=true, so this is a failure.");
            }
            Assert.Skip("node or npm is not on PATH; s3rver cannot run. Set CI=true to make this a failure.");
        }
        Directory.CreateDirectory(dir);
        // Test projects run in parallel: one installs, the others wait on the lock and then find the script.
        await using var gate = await LockAsync(Path.Combine(dir, ".install.lock"), ct);
        if (File.Exists(script))
        {
            return script;
        }
        var npm = new ProcessStartInfo("npm") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var arg in new[] { "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir, "s3rver@" + Version })
        {
            npm.ArgumentList.Add(arg);
        }
        using var install = Process.Start(npm) ?? throw new InvalidOperationException("npm did not start.");
        var output = install.StandardOutput.ReadToEndAsync(ct);
        var error = install.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await install.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            install.Kill(entireProcessTree: true);
            throw new TimeoutException("npm install s3rver did not finish within 5 minutes.");
        }
        if (install.ExitCode != 0 || !File.Exists(script))
        {
            throw new InvalidOperationException($"npm install s3rver@{Version} failed ({install.ExitCode}): {await output}\n{await error}");
        }
        return script;
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(6))
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}
