using System.Runtime.CompilerServices;

namespace VideoGen.Client;

public sealed partial class VideoGenClient
{
    /// <summary>Creates a video (the server validates it against the model and queues it) and returns it as stored.</summary>
    public Task<Video> CreateVideoAsync(CreateVideoRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<Video>(Request(HttpMethod.Post, "api/videos", Json(request)), ct);
    }

    public Task<Video> GetVideoAsync(string id, CancellationToken ct = default) =>
        SendAsync<Video>(Request(HttpMethod.Get, $"api/videos/{Escape(id)}"), ct);

    /// <summary>One page of the caller's videos (an admin's: everyone's), newest first.</summary>
    public Task<VideoPage> ListVideosAsync(VideoListQuery? query = null, CancellationToken ct = default) =>
        SendAsync<VideoPage>(Request(HttpMethod.Get, "api/videos" + (query ?? new VideoListQuery()).ToQueryString()), ct);

    /// <summary>Every video <paramref name="query"/> matches, newest first, fetching page after page as it is read.</summary>
    public async IAsyncEnumerable<Video> ListAllVideosAsync(VideoListQuery? query = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var page = query ?? new VideoListQuery();
        while (true)
        {
            var result = await ListVideosAsync(page, ct);
            foreach (var video in result.Items)
            {
                yield return video;
            }
            if (result.NextCursor is null || result.NextCursor == page.Cursor)
            {
                yield break;
            }
            page = page with { Cursor = result.NextCursor };
        }
    }

    /// <summary>Cancels a video: a waiting one ends canceled at once, a running one is asked to stop (the answer is then still running).</summary>
    public Task<Video> CancelVideoAsync(string id, CancellationToken ct = default) =>
        SendAsync<Video>(Request(HttpMethod.Post, $"api/videos/{Escape(id)}/cancel"), ct);

    /// <summary>Runs a failed or canceled video again.</summary>
    public Task<Video> RetryVideoAsync(string id, CancellationToken ct = default) =>
        SendAsync<Video>(Request(HttpMethod.Post, $"api/videos/{Escape(id)}/retry"), ct);

    /// <summary>Deletes a finished video and its files.</summary>
    public Task DeleteVideoAsync(string id, CancellationToken ct = default) =>
        SendAsync(Request(HttpMethod.Delete, $"api/videos/{Escape(id)}"), ct);

    public Task<ModelList> GetModelsAsync(CancellationToken ct = default) =>
        SendAsync<ModelList>(Request(HttpMethod.Get, "api/models"), ct);

    public Task<Me> GetMeAsync(CancellationToken ct = default) =>
        SendAsync<Me>(Request(HttpMethod.Get, "api/account/me"), ct);
}
