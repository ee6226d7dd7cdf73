using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace VideoGen.Bench.InFlight;

/// <summary>A <c>dotnet X.dll</c> child process: output kept (last lines) and scanned for a ready line; killed by pid.</summary>
internal sealed class Child : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private Regex? _pattern;
    private TaskCompletionSource<Match>? _found;

    private Child(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public static Child Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built (run.sh builds it).", dll);
        }
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment.Remove("ASPNETCORE_URLS");
        info.Environment.Remove("FAL_KEY");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        var child = new Child(new Process { StartInfo = info }, name);
        child._process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        lock (_gate)
        {
            _pattern = pattern;
            _found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var line in _tail)
            {
                if (pattern.Match(line) is { Success: true } m)
                {
                    return m;
                }
            }
        }
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(_found.Task, exited, Task.Delay(timeout));
        if (done == _found.Task)
        {
            return await _found.Task;
        }
        throw new InvalidOperationException($"{Name}: {(done == exited ? "exited" : "timed out")} before printing /{pattern}/:\n{Tail()}");
    }

    public string Tail()
    {
        lock (_gate)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Resident set size (VmRSS) and its high-water mark (VmHWM) in KiB, from /proc.</summary>
    public (long RssKb, long HwmKb) Memory()
    {
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = ParseKb(line);
            }
        }
        return (rss, hwm);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    private static long ParseKb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 60)
            {
                _tail.Dequeue();
            }
            if (_pattern?.Match(line) is { Success: true } m)
            {
                _found?.TrySetResult(m);
            }
        }
    }
}
