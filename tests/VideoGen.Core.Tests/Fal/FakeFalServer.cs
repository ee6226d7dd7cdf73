using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VideoGen.Core.Tests.Fal;

/// <summary>
/// tools/FakeFal started as a real process from its built dll on a free loopback port, one per test class.
/// The dll must be built (the test script builds the solution); a missing dll fails the tests, never skips them.
/// </summary>
public sealed class FakeFalServer : IAsyncLifetime
{
    private Process? _process;
    private readonly StringBuilder _output = new();
    private readonly string _mediaDir = Path.Combine(Path.GetTempPath(), "videogen-fal-tests-media");

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Control { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var dll = FindDll();
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            dll, "--urls", BaseUrl.ToString().TrimEnd('/'),
            "--FakeFal:Queue:QueueDelay=00:00:00.200", "--FakeFal:Queue:InProgress=00:00:01", "--FakeFal:Queue:LogInterval=00:00:00.200",
            $"--FakeFal:Media:Directory={_mediaDir}", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start FakeFal.");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Control = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var r = await Control.GetAsync("/_fake/config");
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"FakeFal did not come up at {BaseUrl} within 60 s (exited: {_process.HasExited}). Output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task ResetAsync(object? config = null)
    {
        var ct = TestContext.Current.CancellationToken;
        (await Control.PostAsync("/_fake/reset", null, ct)).EnsureSuccessStatusCode();
        if (config is not null)
        {
            (await Control.PostAsJsonAsync("/_fake/config", config, ct)).EnsureSuccessStatusCode();
        }
    }

    public async Task<JsonObject> StatsAsync() =>
        (await Control.GetFromJsonAsync<JsonObject>("/_fake/stats", TestContext.Current.CancellationToken))!;

    public async Task ExpireAsync(string requestId) =>
        (await Control.PostAsync($"/_fake/requests/{requestId}/expire", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

    public async ValueTask DisposeAsync()
    {
        Control?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private static string FindDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VideoGen.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Repository root (VideoGen.slnx) not found above " + AppContext.BaseDirectory);
        }

        var candidates = new[] { "Debug", "Release" }
            .Select(c => Path.Combine(dir.FullName, "tools", "FakeFal", "bin", c, "net10.0", "FakeFal.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException("tools/FakeFal is not built: run `dotnet build tools/FakeFal` first.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
