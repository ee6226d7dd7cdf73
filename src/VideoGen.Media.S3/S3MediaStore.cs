using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;

namespace VideoGen.Media.S3;

/// <summary>
/// Media in an S3-compatible bucket, shared by every API and worker host. A PUT is atomic (a reader
/// sees the old object or the whole new one), so writes need no temp object; temporary files stay
/// in a local folder and are removed by their writers. Reads fetch only the ranges read
/// (<see cref="S3ReadStream"/>); browsers are sent to presigned URLs unless configured to stream.
/// Uploads are plain signed PUTs (no aws-chunked streaming signature): every S3-compatible store
/// understands them, where some (s3rver among them) store an aws-chunked body as it came.
/// </summary>
public sealed class S3MediaStore : IMediaStore
{
    private readonly IAmazonS3 _s3;
    private readonly S3MediaOptions _options;
    private readonly TimeProvider _time;
    private readonly string _tempDir;

    public S3MediaStore(IAmazonS3 s3, IOptions<S3MediaOptions> options, TimeProvider time)
    {
        _s3 = s3;
        _options = options.Value;
        _time = time;
        _tempDir = Path.GetFullPath(_options.TempDir ?? throw new InvalidOperationException("VideoGen:Media:S3:TempDir was not set by the registration."));
        Directory.CreateDirectory(_tempDir);
    }

    public async Task<long> SaveAsync(string key, Stream content, CancellationToken ct)
    {
        if (!content.CanSeek)
        {
            // A PUT needs its length up front: spool an unseekable stream to a local temp file.
            var temp = NewTempPath(Path.GetExtension(key));
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct).ConfigureAwait(false);
            }
            return await ImportFileAsync(key, temp, ct).ConfigureAwait(false);
        }
        var length = content.Length - content.Position;
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = ObjectKey(key),
            InputStream = content,
            AutoCloseStream = false,
            ContentType = ContentTypeOf(key),
            UseChunkEncoding = false,
        }, ct).ConfigureAwait(false);
        return length;
    }

    public async Task<long> ImportFileAsync(string key, string sourcePath, CancellationToken ct)
    {
        try
        {
            var length = new FileInfo(sourcePath).Length;
            await _s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = ObjectKey(key),
                FilePath = sourcePath,
                ContentType = ContentTypeOf(key),
                UseChunkEncoding = false,
            }, ct).ConfigureAwait(false);
            return length;
        }
        finally
        {
            LocalTempFiles.TryDelete(sourcePath);
        }
    }

    public async Task<MediaObjectInfo?> GetInfoAsync(string key, CancellationToken ct)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(_options.Bucket, ObjectKey(key), ct).ConfigureAwait(false);
            return new MediaObjectInfo(head.ContentLength, new DateTimeOffset(head.LastModified ?? default, TimeSpan.Zero).ToUniversalTime(), head.ETag);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<MediaObject?> OpenReadAsync(string key, CancellationToken ct)
    {
        if (await GetInfoAsync(key, ct).ConfigureAwait(false) is not { } info)
        {
            return null;
        }
        return new MediaObject(new S3ReadStream(_s3, _options.Bucket, ObjectKey(key), info), info);
    }

    public async Task<Uri?> GetReadUrlAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        if (_options.Serve != S3MediaOptions.Redirect)
        {
            return null;
        }
        var url = await _s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = _options.Bucket,
            Key = objectKey,
            Verb = HttpVerb.GET,
            Expires = _time.GetUtcNow().Add(_options.UrlLifetime).UtcDateTime,
            Protocol = _options.Endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        }).ConfigureAwait(false);
        return new Uri(url);
    }

    /// <summary>
    /// Where presigned URLs point (worked out from the settings, no call to the store): the endpoint, or
    /// the bucket's host under it (virtual-host style), or AWS's regional S3 host (both the regional and
    /// the legacy global name, which the SDK uses for us-east-1).
    /// </summary>
    public IReadOnlyList<string> ReadUrlOrigins => _options.Serve != S3MediaOptions.Redirect ? [] : Origins(_options);

    internal static IReadOnlyList<string> Origins(S3MediaOptions options)
    {
        if (options.Endpoint is { } endpoint)
        {
            var origin = endpoint.GetLeftPart(UriPartial.Authority);
            return options.ForcePathStyle ? [origin] : [$"{endpoint.Scheme}://{options.Bucket}.{endpoint.Authority}"];
        }
        string[] hosts = [$"s3.{options.Region}.amazonaws.com", "s3.amazonaws.com"];
        return [.. hosts.Select(h => options.ForcePathStyle ? $"https://{h}" : $"https://{options.Bucket}.{h}")];
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        // S3 answers a delete of a missing key with success too; the HEAD tells the two apart.
        if (await GetInfoAsync(key, ct).ConfigureAwait(false) is null)
        {
            return false;
        }
        await _s3.DeleteObjectAsync(_options.Bucket, ObjectKey(key), ct).ConfigureAwait(false);
        return true;
    }

    public string NewTempPath(string extension)
    {
        Directory.CreateDirectory(_tempDir);
        var ext = string.IsNullOrEmpty(extension) ? "" : (extension.StartsWith('.') ? extension : "." + extension);
        return Path.Combine(_tempDir, Guid.NewGuid().ToString("N") + ext);
    }

    public async Task<IReadOnlyList<StoredMedia>> ListAsync(string folder, CancellationToken ct)
    {
        var prefix = ObjectKey(folder) + "/";
        var found = new List<StoredMedia>();
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix, Delimiter = "/" };
        // Pages of up to 1000 keys; bounded by the bucket's listing, which ends when it is not truncated.
        while (true)
        {
            var page = await _s3.ListObjectsV2Async(request, ct).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                var key = o.Key[_options.Prefix.Length..];
                if (MediaKeys.IsSafe(key))
                {
                    found.Add(new StoredMedia(key, o.Size ?? 0, new DateTimeOffset(o.LastModified ?? default, TimeSpan.Zero).ToUniversalTime()));
                }
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                return found;
            }
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Only the local temp folder holds temp files: a PUT leaves no partial object behind.</summary>
    public int SweepTemp(DateTimeOffset olderThan) => LocalTempFiles.Sweep(_tempDir, olderThan);


    private string ObjectKey(string key)
    {
        MediaKeys.EnsureSafe(key);
        return _options.Prefix + key;
    }

    /// <summary>Stored with the object, so a presigned URL answers the right type to the browser.</summary>
    internal static string ContentTypeOf(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".mp4" => "video/mp4",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };

}
