using System.Text.Json;

namespace ClusterDriver;

/// <summary>
/// One SSE client of a video through the load balancer (<c>GET /api/videos/{id}/events</c>): reads
/// until the terminal event; a stream that ends or breaks before it is opened again (a reconnect).
/// </summary>
public sealed class SseWatcher(ClusterApi lb, RunClock clock, string videoId)
{
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string VideoId => videoId;

    public int Reconnects { get; private set; }

    public bool SawTerminal { get; private set; }

    /// <summary>Longest time from a broken stream to the first event of the next one.</summary>
    public TimeSpan LongestGap { get; private set; }

    /// <summary>The API host that served each stream, in order.</summary>
    public List<string> ServedBy { get; } = [];

    /// <summary>Completes with the first event of the first stream.</summary>
    public Task Connected => _connected.Task;

    public async Task RunAsync(TimeSpan limit, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(limit);
        TimeSpan? brokenAt = null;
        while (!stop.IsCancellationRequested && !SawTerminal)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{videoId}/events");
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await lb.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    ServedBy.Add(response.Headers.TryGetValues("X-Served-By", out var v) ? v.First() : "?");
                    await using var body = await response.Content.ReadAsStreamAsync(stop.Token);
                    using var reader = new StreamReader(body);
                    while (await reader.ReadLineAsync(stop.Token) is { } line)
                    {
                        if (!line.StartsWith("data:", StringComparison.Ordinal))
                        {
                            continue;
                        }
                        _connected.TrySetResult();
                        if (brokenAt is { } b)
                        {
                            LongestGap = clock.Now - b > LongestGap ? clock.Now - b : LongestGap;
                            brokenAt = null;
                        }
                        using var doc = JsonDocument.Parse(line[5..]);
                        if (ClusterApi.IsTerminal(doc.RootElement.GetProperty("status").GetString()))
                        {
                            SawTerminal = true;
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException || (e is OperationCanceledException && !stop.IsCancellationRequested))
            {
                // The stream broke (its API host went away): open it again below.
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (!SawTerminal && !stop.IsCancellationRequested)
            {
                if (_connected.Task.IsCompleted)
                {
                    Reconnects++;
                    brokenAt ??= clock.Now;
                }
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }
}
