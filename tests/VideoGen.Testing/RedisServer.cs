using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VideoGen.Testing;

/// <summary>
/// A real redis-server from PATH on a free loopback port with its own temp dir, AOF on with
/// <c>appendfsync always</c> (the no-loss setting) and no RDB snapshots. It can be killed (SIGKILL)
/// and restarted on the same port and dir, which is how the fault tests crash Redis and drop every
/// client connection.
/// With <c>CI=true</c> a missing redis-server fails the test; elsewhere the test is skipped with a reason.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port, string dir)
    {
        Port = port;
        Dir = dir;
    }

    public int Port { get; }

    public string Dir { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(CancellationToken ct = default)
    {
        var executable = FindOnPath("redis-server");
        if (executable is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("redis-server is not on PATH (install it: apt-get install redis-server). CI=true, so this is a failure.");
            }

            Assert.Skip("redis-server is not on PATH; set CI=true to make this a failure.");
        }

        var dir = Directory.CreateTempSubdirectory("vg-redis-").FullName;
        var server = new RedisServer(LoopbackPort.Free(), dir);
        await server.LaunchAsync(ct);
        return server;
    }

    /// <summary>SIGKILLs the server (no shutdown, no final fsync: only what AOF already wrote survives).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Kills the server and starts it again on the same port and dir (it reloads the AOF).</summary>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        Kill();
        await LaunchAsync(ct);
    }

    /// <summary>
    /// Kills the server, deletes its data files (AOF and RDB) and starts it again on the same port:
    /// a Redis that comes back empty, as after losing its disk or running without persistence.
    /// </summary>
    public async Task RestartEmptyAsync(CancellationToken ct = default)
    {
        Kill();
        foreach (var entry in Directory.EnumerateFileSystemEntries(Dir))
        {
            if (Path.GetFileName(entry) == "redis.log")
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        await LaunchAsync(ct);
    }

    /// <summary><c>FLUSHALL</c>: every key of every database gone, the server still running.</summary>
    public async Task FlushAllAsync(CancellationToken ct = default)
    {
        var reply = await RedisSentinelGroup.CommandAsync(Port, "FLUSHALL", ct);
        if (!reply.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"FLUSHALL on {Endpoint} answered '{reply.Trim()}'.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.Yield();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    private async Task LaunchAsync(CancellationToken ct)
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Dir,
        };
        foreach (var arg in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", Dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
            "--daemonize", "no", "--protected-mode", "no", "--logfile", Path.Combine(Dir, "redis.log"),
        })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}: {ReadLog()}");
            }

            if (await AnswersPingAsync(ct))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"redis-server on {Endpoint} did not answer PING within 20 s: {ReadLog()}");
            }

            await Task.Delay(50, ct);
        }
    }

    /// <summary>
    /// One inline <c>PING</c> on a fresh connection: <c>+PONG</c> once serving; refused while not
    /// listening yet, <c>-LOADING</c> while it still replays the AOF.
    /// </summary>
    private async Task<bool> AnswersPingAsync(CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), attempt.Token);
            var reply = new byte[64];
            var read = await stream.ReadAsync(reply, attempt.Token);
            return Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return false;
        }
    }

    private string ReadLog()
    {
        var log = Path.Combine(Dir, "redis.log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}
