using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VideoGen.Testing;

/// <summary>
/// A built .NET program (<c>dotnet X.dll …</c>) run as a real child process: stdout and stderr kept
/// in a bounded log, a wait for a line matching a pattern, and kill by pid (SIGKILL on Linux) —
/// on <see cref="KillAsync"/> for chaos tests and always on dispose. The child runs in the
/// Production environment from its own folder, without <c>ASPNETCORE_URLS</c> or <c>FAL_KEY</c>
/// from the test's environment.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int MaxLogLines = 4000;
    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Found)> _waits = [];
    private readonly Lock _gate = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = new Process { StartInfo = StartInfo(dll, args, environment), EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.Exited += (_, _) => child.OnExited();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Runs <paramref name="dll"/> to its exit (a CLI verb) and returns its exit code and its stdout
    /// and stderr apart; killed and reported if it runs longer than <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string name, string dll, IEnumerable<string> args, TimeSpan timeout)
    {
        using var process = System.Diagnostics.Process.Start(StartInfo(dll, args, null)) ?? throw new InvalidOperationException($"Could not start {name}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not exit within {timeout.TotalSeconds:0} s:\n{await output}\n{await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Waits for a log line matching <paramref name="pattern"/> (also one already printed); fails if the process exits first.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, string what)
    {
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _log)
            {
                if (pattern.Match(line) is { Success: true } m)
                {
                    return m;
                }
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before {what}:\n{Tail()}");
            }
            _waits.Add((pattern, found));
        }
        try
        {
            return await found.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name}: timed out after {timeout.TotalSeconds:0} s waiting for {what}:\n{Tail()}");
        }
    }

    /// <summary>Everything kept of stdout and stderr (the last 4,000 lines).</summary>
    public string Output => Tail(MaxLogLines);

    /// <summary>The last <paramref name="lines"/> lines of output.</summary>
    public string Tail(int lines = 80)
    {
        lock (_gate)
        {
            return string.Join('\n', _log.Skip(Math.Max(0, _log.Count - lines)));
        }
    }

    /// <summary>SIGKILL (no shutdown hooks run), then waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built; build it first (dotnet build VideoGen.slnx).", dll);
        }
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("FAL_KEY");
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        return info;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _log.Enqueue(line);
            if (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }
            for (var i = _waits.Count - 1; i >= 0; i--)
            {
                if (_waits[i].Pattern.Match(line) is { Success: true } m)
                {
                    _waits[i].Found.TrySetResult(m);
                    _waits.RemoveAt(i);
                }
            }
        }
    }

    private void OnExited()
    {
        lock (_gate)
        {
            foreach (var (_, found) in _waits)
            {
                found.TrySetException(new InvalidOperationException($"{Name} exited before the awaited line:\n{string.Join('\n', _log.TakeLast(80))}"));
            }
            _waits.Clear();
        }
    }
}
