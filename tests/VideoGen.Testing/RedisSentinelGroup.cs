using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace VideoGen.Testing;

/// <summary>
/// A Redis primary, one replica and three sentinels (Debian's <c>redis-server</c> and
/// <c>redis-sentinel</c>) on free loopback ports, each with its own dir under one temp dir. The
/// sentinels watch <see cref="ServiceName"/> with quorum 2 and call the primary down after 1 s,
/// so a killed primary is replaced within a few seconds. Processes are stopped by pid.
/// With <c>CI=true</c> a missing program fails the test; elsewhere the test is skipped.
/// </summary>
public sealed class RedisSentinelGroup : IAsyncDisposable
{
    public const string ServiceName = "vgprimary";

    private readonly TempDir _dir = new("vg-sentinel");
    private readonly List<Process> _processes = [];

    private RedisSentinelGroup()
    {
    }

    public int PrimaryPort { get; private set; }

    public int ReplicaPort { get; private set; }

    public IReadOnlyList<int> SentinelPorts { get; private set; } = [];

    public Process Primary { get; private set; } = null!;

    /// <summary>The StackExchange.Redis connection string: the sentinels and the service name.</summary>
    public string ConnectionString =>
        string.Join(',', SentinelPorts.Select(p => $"127.0.0.1:{p}")) + $",serviceName={ServiceName}";

    public static async Task<RedisSentinelGroup> StartAsync(CancellationToken ct)
    {
        var server = Require("redis-server");
        var sentinel = Require("redis-sentinel");
        var group = new RedisSentinelGroup();
        try
        {
            group.PrimaryPort = LoopbackPort.Free();
            group.ReplicaPort = LoopbackPort.Free();
            group.Primary = group.Launch(server, "primary", group.PrimaryPort, []);
            await group.WaitForPingAsync(group.PrimaryPort, ct);
            group.Launch(server, "replica", group.ReplicaPort, ["--replicaof", "127.0.0.1", Port(group.PrimaryPort)]);
            await group.WaitForPingAsync(group.ReplicaPort, ct);
            var sentinels = new List<int>();
            for (var i = 0; i < 3; i++)
            {
                var port = LoopbackPort.Free();
                var dir = Directory.CreateDirectory(Path.Combine(group._dir.Path, $"sentinel{i}")).FullName;
                var conf = Path.Combine(dir, "sentinel.conf");
                await File.WriteAllTextAsync(conf, string.Join('\n',
                    $"port {port}",
                    "bind 127.0.0.1",
                    "protected-mode no",
                    $"dir {dir}",
                    $"logfile {Path.Combine(dir, "sentinel.log")}",
                    $"sentinel monitor {ServiceName} 127.0.0.1 {group.PrimaryPort} 2",
                    $"sentinel down-after-milliseconds {ServiceName} 1000",
                    $"sentinel failover-timeout {ServiceName} 10000",
                    $"sentinel parallel-syncs {ServiceName} 1",
                    ""), ct);
                group.Start(sentinel, [conf]);
                await group.WaitForPingAsync(port, ct);
                sentinels.Add(port);
            }
            group.SentinelPorts = sentinels;
            await group.WaitForReplicaInSyncAsync(ct);
            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILLs the current primary process (the one started as primary).</summary>
    public void KillPrimary()
    {
        if (!Primary.HasExited)
        {
            Primary.Kill();
            Primary.WaitForExit(5000);
        }
    }

    /// <summary>What the sentinels report as the primary's address (<c>SENTINEL get-master-addr-by-name</c>).</summary>
    public async Task<int?> ReportedPrimaryPortAsync(CancellationToken ct)
    {
        var reply = await CommandAsync(SentinelPorts[0], $"SENTINEL get-master-addr-by-name {ServiceName}", ct);
        var lines = reply.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        return lines.Length >= 5 && int.TryParse(lines[4], CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    /// <summary>One inline command on a fresh connection; the raw RESP reply ("" when not reachable).</summary>
    public static async Task<string> CommandAsync(int port, string command, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, attempt.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), attempt.Token);
            var buffer = new byte[16384];
            var read = await stream.ReadAsync(buffer, attempt.Token);
            await Task.Delay(20, attempt.Token);
            if (client.Available > 0)
            {
                read += await stream.ReadAsync(buffer.AsMemory(read), attempt.Token);
            }
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
        }
        _dir.Dispose();
    }

    private Process Launch(string server, string name, int port, string[] extra)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir.Path, name)).FullName;
        return Start(server,
        [
            "--port", Port(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "everysec",
            "--save", "", "--daemonize", "no", "--protected-mode", "no", "--logfile", Path.Combine(dir, "redis.log"), .. extra,
        ]);
    }

    private Process Start(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private async Task WaitForPingAsync(int port, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!(await CommandAsync(port, "PING", ct)).StartsWith("+PONG", StringComparison.Ordinal))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"Redis on port {port} did not answer PING within 20 s (logs in {_dir.Path}).");
            }
            await Task.Delay(50, ct);
        }
    }

    private async Task WaitForReplicaInSyncAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var replication = await CommandAsync(ReplicaPort, "INFO replication", ct);
            var sentinel = await CommandAsync(SentinelPorts[0], "INFO sentinel", ct);
            // The replica is linked, and the first sentinel sees the replica and the other two sentinels.
            if (replication.Contains("master_link_status:up", StringComparison.Ordinal) && sentinel.Contains("slaves=1,sentinels=3", StringComparison.Ordinal))
            {
                return;
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The replica and sentinels did not find each other within 30 s: {replication}\n{sentinel}");
            }
            await Task.Delay(100, ct);
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string Require(string program)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
        if (found is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{program} is not on PATH (apt-get install redis-server redis-sentinel; scripts/test.sh does). CI=true, so this is a failure.");
            }
            Assert.Skip($"{program} is not on PATH; set CI=true to make this a failure.");
        }
        return found;
    }
}
