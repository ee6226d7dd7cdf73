using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using VideoGen.Queue.Redis;

namespace VideoGen.Queue.Tests.Redis;

/// <summary>
/// A three-primary Redis Cluster on loopback (three <c>redis-server --cluster-enabled yes</c> on free
/// ports, joined by <c>redis-cli --cluster create … --cluster-yes</c>, no replicas), shared by one
/// test class, with one store factory connected to all three nodes. Nodes are stopped by pid.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new("vg-redis-cluster");
    private readonly List<Process> _nodes = [];
    private RedisQueueStoreFactory? _factory;

    public IReadOnlyList<int> Ports { get; private set; } = [];

    public RedisQueueStoreFactory Factory => _factory ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        // Starts a plain server first: it skips (or, with CI=true, fails) the class when redis-server is missing.
        await using (await RedisServer.StartAsync(ct))
        {
        }
        var ports = Enumerable.Range(0, 3).Select(_ => LoopbackPort.Free()).ToList();
        foreach (var port in ports)
        {
            var dir = Directory.CreateDirectory(Path.Combine(_dir.Path, Port(port))).FullName;
            _nodes.Add(Start("redis-server",
            [
                "--port", Port(port), "--bind", "127.0.0.1", "--dir", dir, "--cluster-enabled", "yes",
                "--cluster-config-file", Path.Combine(dir, "nodes.conf"), "--cluster-node-timeout", "5000",
                "--appendonly", "no", "--save", "", "--daemonize", "no", "--protected-mode", "no", "--logfile", Path.Combine(dir, "redis.log"),
            ]));
        }
        foreach (var port in ports)
        {
            await WaitForAsync(port, "PING", r => r.StartsWith("+PONG", StringComparison.Ordinal), "PONG", ct);
        }

        using var create = Start("redis-cli", ["--cluster", "create", .. ports.Select(p => $"127.0.0.1:{Port(p)}"), "--cluster-replicas", "0", "--cluster-yes"]);
        var output = create.StandardOutput.ReadToEndAsync(ct);
        await create.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
        if (create.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli --cluster create failed ({create.ExitCode}): {await output}");
        }
        foreach (var port in ports)
        {
            await WaitForAsync(port, "CLUSTER INFO", r => r.Contains("cluster_state:ok", StringComparison.Ordinal), "cluster_state:ok", ct);
        }
        Ports = ports;
        _factory = new RedisQueueStoreFactory(string.Join(',', ports.Select(p => $"127.0.0.1:{Port(p)}")));
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        foreach (var node in _nodes)
        {
            try
            {
                if (!node.HasExited)
                {
                    node.Kill();
                }
                await node.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            node.Dispose();
        }
        _dir.Dispose();
    }

    private Process Start(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        if (program == "redis-server")
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return process;
    }

    private static async Task WaitForAsync(int port, string command, Func<string, bool> ready, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!ready(await CommandAsync(port, command, ct)))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Redis cluster node {port} did not answer {what} to {command} within 30 s.");
            }
            await Task.Delay(100, ct);
        }
    }

    private static async Task<string> CommandAsync(int port, string command, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, attempt.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), attempt.Token);
            var buffer = new byte[8192];
            var read = await stream.ReadAsync(buffer, attempt.Token);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return "";
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
