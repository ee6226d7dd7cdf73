using System.Text.Json;

namespace VideoGen.Server.Tests.Events;

/// <summary>One Server-Sent Event as a test reads it.</summary>
public sealed record SseEvent(string? Id, string? Name, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();

    public string VideoId => Json.GetProperty("id").GetString()!;

    public string Status => Json.GetProperty("status").GetString()!;
}

/// <summary>An open SSE response read event by event (comments counted apart), every read bounded in time.</summary>
public sealed class SseClient : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseClient(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>SSE comment lines seen so far (heartbeats and the opening comment).</summary>
    public int Comments { get; private set; }

    public static async Task<SseClient> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return new SseClient(response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The next event, or null when the stream ended; fails after <paramref name="timeout"/>.</summary>
    public async Task<SseEvent?> NextAsync(TimeSpan timeout, string waitingFor)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        string? id = null, name = null, data = null;
        try
        {
            while (await _reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        return new SseEvent(id, name, data);
                    }
                    continue;
                }
                if (line.StartsWith(':'))
                {
                    Comments++;
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line[6..];
                }
            }
            return null;
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No event within {timeout} while waiting for {waitingFor}.");
        }
    }

    /// <summary>Reads events until one matches <paramref name="match"/>; fails when the stream ends or time runs out first.</summary>
    public async Task<SseEvent> UntilAsync(Func<SseEvent, bool> match, TimeSpan timeout, string waitingFor)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - clock.Elapsed;
            var e = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), waitingFor)
                ?? throw new InvalidOperationException($"The stream ended while waiting for {waitingFor}.");
            if (match(e))
            {
                return e;
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
