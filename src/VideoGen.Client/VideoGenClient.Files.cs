using System.Net.Http.Headers;

namespace VideoGen.Client;

public sealed partial class VideoGenClient
{
    /// <summary>Uploads an image (PNG, JPEG or WebP, at most 10 MB) for an image-to-video model; pass the answer's URL as <see cref="CreateVideoRequest.ImageUrl"/>.</summary>
    public Task<Upload> UploadImageAsync(Stream image, string fileName, string contentType, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        var file = new StreamContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent { { file, "image", fileName } };
        return SendAsync<Upload>(Request(HttpMethod.Post, "api/uploads", form), ct);
    }

    /// <summary>Uploads the image file at <paramref name="path"/>, its type named from its extension.</summary>
    public async Task<Upload> UploadImageFileAsync(string path, CancellationToken ct = default)
    {
        var type = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".webp" => "image/webp",
            _ => "application/octet-stream",
        };
        await using var file = File.OpenRead(path);
        return await UploadImageAsync(file, Path.GetFileName(path), type, ct);
    }

    /// <summary>
    /// Copies the file at <paramref name="url"/> (a video's <see cref="Video.VideoUrl"/> or <see cref="Video.PosterUrl"/>,
    /// relative to the server or absolute) into <paramref name="destination"/>; returns the bytes copied.
    /// </summary>
    public async Task<long> DownloadAsync(string url, Stream destination, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = Request(HttpMethod.Get, url);
        request.RequestUri = Resolve(url);
        request.Headers.Accept.Clear();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var before = destination.CanSeek ? destination.Position : 0;
        await body.CopyToAsync(destination, ct);
        return destination.CanSeek ? destination.Position - before : response.Content.Headers.ContentLength ?? -1;
    }

    /// <summary>Downloads the video file of a succeeded video into <paramref name="path"/> (written whole or not at all).</summary>
    public async Task<Video> DownloadVideoAsync(string id, string path, CancellationToken ct = default)
    {
        var video = await GetVideoAsync(id, ct);
        if (video.VideoUrl is null)
        {
            throw new VideoGenApiException(System.Net.HttpStatusCode.Conflict, new ApiProblem
            {
                Title = "No file yet",
                Detail = $"Video {video.Id} is {video.Status}; only a succeeded video has a file.",
                Status = 409,
            });
        }
        var partial = path + ".part";
        try
        {
            await using (var file = File.Create(partial))
            {
                await DownloadAsync(video.VideoUrl, file, ct);
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return video;
    }
}
