using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace VideoGen.Client;

public sealed partial class VideoGenClient
{
    /// <summary>How many times in a row <see cref="WatchVideoAsync"/> reconnects without receiving an event before it gives up.</summary>
    public int MaxReconnects { get; init; } = 5;

    /// <summary>How long <see cref="WatchVideoAsync"/> waits before reconnecting when the server named no delay.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Follows a video through its event stream (<c>GET /api/videos/{id}/events</c>): the video each time it changes,
    /// ending after it reaches a terminal status. A dropped or expired stream is reopened, sending <c>Last-Event-ID</c>
    /// when the server numbered its events so nothing is replayed or missed; pass <paramref name="lastEventId"/> to
    /// resume a watch an earlier process began. A 404 or other refusal throws <see cref="VideoGenApiException"/>;
    /// more than <see cref="MaxReconnects"/> failed reconnects in a row throw the last failure.
    /// </summary>
    public async IAsyncEnumerable<VideoEvent> WatchVideoAsync(string id, string? lastEventId = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var failures = 0;
        var delay = ReconnectDelay;
        while (true)
        {
            HttpResponseMessage? response = null;
            SseReader? reader = null;
            Exception? failure = null;
            try
            {
                using var request = Request(HttpMethod.Get, $"api/videos/{Escape(id)}/events");
                request.Headers.Accept.Clear();
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (lastEventId is not null)
                {
                    request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
                }
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                await EnsureSuccessAsync(response, ct);
                reader = new SseReader(await response.Content.ReadAsStreamAsync(ct));
            }
            catch (HttpRequestException e)
            {
                failure = e;
            }
            catch
            {
                response?.Dispose();
                throw;
            }

            if (reader is not null)
            {
                using (response)
                {
                    while (true)
                    {
                        SseEvent? next;
                        try
                        {
                            next = await reader.ReadAsync(ct);
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException)
                        {
                            failure = e;
                            break;
                        }
                        if (next is not { } sse)
                        {
                            break;
                        }
                        lastEventId = sse.Id ?? lastEventId;
                        if (sse.Type != "video")
                        {
                            continue;
                        }
                        var video = JsonSerializer.Deserialize<Video>(sse.Data, ClientJson.Options)
                            ?? throw new JsonException($"The event stream of video {id} sent an empty video.");
                        failures = 0;
                        yield return new VideoEvent(sse.Type, sse.Id, video);
                        if (video.IsTerminal)
                        {
                            yield break;
                        }
                    }
                    delay = reader.Retry ?? delay;
                }
            }

            if (++failures > MaxReconnects)
            {
                throw failure ?? new HttpRequestException($"The event stream of video {id} ended {failures} times in a row without an event.");
            }
            await Task.Delay(delay, ct);
        }
    }
}
