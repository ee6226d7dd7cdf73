using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using VideoGen.Testing;

namespace VideoGen.Server.Tests.Events;

/// <summary>
/// The liveness bug of issue 15, tried as users would against a real <c>videogen serve</c> (SQLite): 2,000 clients each
/// watching a queued video. <c>/health/live</c> answers within 1 s throughout; once the clients leave, the server's open
/// streams fall to zero within seconds (no socket left in CLOSE-WAIT holding a stream); and SIGTERM ends the process
/// within its shutdown timeout even with streams open. Needs about 4,100 open files in this process (2,000 client
/// sockets and the rest) — .NET raises the soft limit to the hard one, so <c>ulimit -Hn</c> must be at least 4,500.
/// </summary>
[Collection(Chaos.ChaosCollection.Name)]
public sealed class EventStreamScaleTests(ITestOutputHelper output)
{
    private const int Streams = 2000;
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task TwoThousandStreams_KeepLiveAnswering_CloseWhenClientsLeave_AndSigtermEndsTheProcess()
    {
        Assert.True(OpenFilesLimit() >= 4500, $"this test needs 'ulimit -n' of at least 4500 (is {OpenFilesLimit()})");
        var ct = TestContext.Current.CancellationToken;
        await using var server = await VideoGenProcess.ServeLocalAsync(
            "--VideoGen:Workers:Enabled=false", "--VideoGen:Events:MaxStreams=10000", "--VideoGen:Events:MaxStreamsPerClient=10000",
            "--Logging:LogLevel:Default=Warning");
        var videos = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var created = await server.Http.PostAsJsonAsync("/api/videos", new { prompt = $"watched fox {i}" }, ct);
            videos.Add((await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!);
        }

        // Warm: the first call of a route pays its JIT compilation, which says nothing about liveness under load.
        using (var warm = await server.Http.GetAsync("/health/live", ct))
        {
            warm.EnsureSuccessStatusCode();
        }
        await StreamsOpenAsync(server);

        using var probing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var probe = ProbeLiveAsync(server.BaseUrl, probing.Token);
        var clients = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var http = new HttpClient(clients) { BaseAddress = server.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        var open = new List<SseClient>();
        var clock = Stopwatch.StartNew();
        for (var batch = 0; batch < Streams / 100; batch++)
        {
            open.AddRange(await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
            {
                var stream = await SseClient.OpenAsync(http, $"/api/videos/{videos[(batch * 100 + i) % videos.Count]}/events");
                var first = await stream.NextAsync(TimeSpan.FromSeconds(30), "a stream's first event");
                Assert.Equal("queued", first?.Status);
                return stream;
            })));
        }
        output.WriteLine($"{Streams} streams open with their first event in {clock.ElapsedMilliseconds} ms");
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // held open for a while: the probe keeps asking
        Assert.Equal(Streams, await StreamsOpenAsync(server));

        foreach (var stream in open)
        {
            stream.Dispose();
        }
        http.Dispose();
        clock.Restart();
        await Eventually.TrueAsync(async () => await StreamsOpenAsync(server) == 0, "the server's open streams to fall to zero after the clients left", TimeSpan.FromSeconds(10));
        output.WriteLine($"open streams at zero {clock.ElapsedMilliseconds} ms after the clients left");

        await probing.CancelAsync();
        var (slowest, at) = await probe;
        output.WriteLine($"slowest /health/live: {slowest.TotalMilliseconds:F0} ms, {at.TotalMilliseconds:F0} ms after probing began");
        Assert.True(slowest < LiveWithin, $"/health/live took {slowest.TotalMilliseconds:F0} ms at worst (limit {LiveWithin.TotalMilliseconds} ms)");

        // Shutdown with streams still open: they end, and the process exits.
        using var last = new HttpClient { BaseAddress = server.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
        var remaining = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SseClient.OpenAsync(last, $"/api/videos/{videos[i % videos.Count]}/events")));
        clock.Restart();
        using (var kill = Process.Start("kill", ["-TERM", server.Process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
        }
        await Eventually.TrueAsync(() => server.Process.HasExited, "videogen serve to exit after SIGTERM", TimeSpan.FromSeconds(15));
        output.WriteLine($"exited {clock.ElapsedMilliseconds} ms after SIGTERM");
        foreach (var stream in remaining)
        {
            stream.Dispose();
        }
    }

    /// <summary>
    /// GETs <c>/health/live</c> every 100 ms until canceled and returns the slowest answer. It runs on a thread of its own
    /// with synchronous sends, so this test process's busy thread pool (2,000 client streams opening and closing) does
    /// not add its own delays to what the server's answer took.
    /// </summary>
    private static Task<(TimeSpan Slowest, TimeSpan At)> ProbeLiveAsync(Uri baseUrl, CancellationToken ct)
    {
        var done = new TaskCompletionSource<(TimeSpan, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
                var slowest = TimeSpan.Zero;
                var at = TimeSpan.Zero;
                var since = Stopwatch.StartNew();
                while (!ct.IsCancellationRequested)
                {
                    var clock = Stopwatch.StartNew();
                    using (var request = new HttpRequestMessage(HttpMethod.Get, "/health/live"))
                    using (var live = http.Send(request, CancellationToken.None))
                    {
                        live.EnsureSuccessStatusCode();
                    }
                    if (clock.Elapsed > slowest)
                    {
                        (slowest, at) = (clock.Elapsed, since.Elapsed);
                    }
                    ct.WaitHandle.WaitOne(100);
                }
                done.SetResult((slowest, at));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "live probe" };
        thread.Start();
        return done.Task;
    }

    /// <summary>The server's own count of open streams (in <c>/health/ready</c>'s detail for admins: the local owner is one).</summary>
    private static async Task<int> StreamsOpenAsync(VideoGenProcess server)
    {
        using var ready = await server.Http.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return body.GetProperty("detail").GetProperty("eventStreamsOpen").GetInt32();
    }

    private static long OpenFilesLimit()
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? long.MaxValue : long.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
    }
}
