using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace VideoGen.Server.Tests.Infrastructure;

/// <summary>
/// The built <c>videogen</c> run as a real process (Kestrel on a free 127.0.0.1 port, its own
/// DataDir). Started with <c>--urls http://127.0.0.1:0</c>; the bound address is read from the
/// "VideoGen ready at …" line. Killed (whole tree) on dispose.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TempDir _dir = new("videogen-proc");
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(IEnumerable<string> extraArgs, string? dataDir = null, bool worker = false)
    {
        _dataDir = dataDir ?? _dir.Path;
        var args = new List<string>(worker ? ["worker"] : ["serve", "--urls", "http://127.0.0.1:0"])
        {
            $"--VideoGen:DataDir={_dataDir}",
            "--VideoGen:Providers:Local:QueueDelay=00:00:00.500",
            "--VideoGen:Providers:Local:MinRenderTime=00:00:01",
            "--VideoGen:Pipeline:PollInterval=00:00:00.200",
            "--VideoGen:Pipeline:MaxPollInterval=00:00:01",
        };
        args.AddRange(extraArgs);
        _process = Start(args);
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"videogen exited with {_process.ExitCode} before it was ready:\n{Log}"));
    }

    public Uri BaseAddress { get; private set; } = null!;

    private readonly string _dataDir;

    public string DataDir => _dataDir;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(params string[] extraArgs)
    {
        var server = new ServerProcess(extraArgs);
        try
        {
            server.BaseAddress = await server._ready.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"videogen did not print 'VideoGen ready at' within 60 s:\n{server.Log}");
        }
        return server;
    }

    /// <summary>A <c>videogen worker</c> process sharing <paramref name="dataDir"/> (app database and queue) with a server.</summary>
    public static async Task<ServerProcess> StartWorkerAsync(string dataDir)
    {
        var worker = new ServerProcess([], dataDir, worker: true);
        try
        {
            await worker._ready.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            await worker.DisposeAsync();
            throw new TimeoutException($"videogen worker did not print 'VideoGen worker ready' within 60 s:\n{worker.Log}");
        }
        return worker;
    }

    /// <summary>Runs the built videogen with <paramref name="args"/> to completion (for CLI verbs).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"videogen {string.Join(' ', args)} did not exit within {timeout.TotalSeconds} s:\n{await output}\n{await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    private static Process Start(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(ExecutablePath());
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    /// <summary>videogen.dll as built next to the tests (the project reference copies it with its runtimeconfig).</summary>
    public static string ExecutablePath()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "videogen.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "videogen.runtimeconfig.json")))
        {
            return beside;
        }
        throw new FileNotFoundException($"videogen.dll with its runtimeconfig was not found in {AppContext.BaseDirectory}; build the test project first.");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
        var match = ReadyLine().Match(line);
        if (match.Success)
        {
            _ready.TrySetResult(new Uri(match.Groups[1].Value));
        }
        else if (line.StartsWith("VideoGen worker ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult(new Uri("http://worker.invalid/"));
        }
    }

    [GeneratedRegex(@"VideoGen ready at (http://\S+)")]
    private static partial Regex ReadyLine();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _dir.Dispose();
    }
}
