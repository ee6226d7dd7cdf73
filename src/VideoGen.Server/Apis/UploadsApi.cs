using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using VideoGen.Core.Media;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Housekeeping;
using VideoGen.Server.Limits;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>POST /api/uploads</c>: the image of an image-to-video request. Multipart form data with one
/// file field <c>image</c>; PNG, JPEG or WebP recognised by their magic bytes (the declared
/// content type is not trusted), at most <see cref="MaxBytes"/>. Stored in our media store as
/// <c>uploads/{guid}.{ext}</c> and answered with <c>{url}</c>: absolute under
/// <c>VideoGen:PublicBaseUrl</c> when set (so a remote provider can fetch it), else the relative
/// <c>/media/…</c> URL. What is stored is not the uploaded bytes but a fresh encoding of the decoded
/// image (<see cref="MediaTools.ReencodeImageAsync"/>): a file that only starts like an image, or
/// carries something else after it, never reaches the store. Each owner has a rate and a quota
/// (<c>VideoGen:Uploads</c>), and no upload is taken while the disk is nearly full. Errors are
/// problem details: 400 no image, 413 too large, 415 not multipart or not a (whole) accepted
/// image, 429 rate or quota exceeded, 503 low on disk space. An <c>Idempotency-Key</c> makes a retried upload answer the
/// first upload's URL instead of storing the image again (<see cref="IdempotencyFilter"/>).
/// </summary>
public static class UploadsApi
{
    public const string Route = "/api/uploads";
    public const string FieldName = "image";

    /// <summary>Largest accepted image: 10 MiB.</summary>
    public const long MaxBytes = 10L * 1024 * 1024;

    // Multipart framing (boundaries, part headers) on top of the file itself.
    private const long FormOverheadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, UploadImage)
            .Accepts<IFormFile>("multipart/form-data")
            .AddEndpointFilter<RequiresDiskSpace>()
            .WithIdempotencyKeys(IdempotencyScopes.Uploads, (int)(MaxBytes + FormOverheadBytes))
            .DisableAntiforgery()
            .WithTags("Uploads")
            .Describe("UploadImage", "Upload an image for an image-to-video model", "multipart/form-data with the image (PNG, JPEG or WebP, at most 10 MB) in the field 'image'; pass the answer's url as imageUrl.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<Created<UploadDto>, ProblemHttpResult>> UploadImage(
        HttpRequest request, IMediaStore media, MediaTools tools, UploadLimits limits, MediaUrls urls, AppDbContext db, CurrentOwner owner, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send multipart/form-data with the image in the 'image' field.");
        }
        if (limits.TakeRate(owner.Id) is { Allowed: false } rate)
        {
            return Refused(request, rate);
        }
        if (request.ContentLength > MaxBytes + FormOverheadBytes)
        {
            return TooLarge();
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes + FormOverheadBytes;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxBytes + FormOverheadBytes }, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (InvalidDataException) when (request.ContentLength is null)
        {
            // The form reader's own limits (body length, part headers) were exceeded.
            return TooLarge();
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !ct.IsCancellationRequested)
        {
            // A body of acceptable length the multipart reader cannot follow: no boundary, truncated, garbage, oversized part headers.
            return Problem(StatusCodes.Status400BadRequest, "Malformed form", "The body is not well-formed multipart/form-data.");
        }

        var file = form.Files.GetFile(FieldName);
        if (file is null || file.Length == 0)
        {
            return Problem(StatusCodes.Status400BadRequest, "No image", "The form has no non-empty file field 'image'.");
        }
        if (file.Length > MaxBytes)
        {
            return TooLarge();
        }

        await using var stream = file.OpenReadStream();
        var header = new byte[12];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
        if (ImageSignature.Detect(header.AsSpan(0, read)) is not { } extension)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported image type", "Only PNG, JPEG and WebP images are accepted (checked by file content).");
        }
        stream.Position = 0;
        if (await limits.CheckQuotaAsync(owner.Id, file.Length, ct) is { Allowed: false } quota)
        {
            return Refused(request, quota);
        }

        var key = $"uploads/{Guid.NewGuid():N}.{extension}";
        var received = media.NewTempPath("." + extension);
        var clean = media.NewTempPath("." + extension);
        try
        {
            await using (var target = new FileStream(received, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await stream.CopyToAsync(target, ct);
            }
            try
            {
                await tools.ReencodeImageAsync(received, ImageSignature.FormatOf(extension), clean, ct);
            }
            catch (Exception e) when (e is InvalidMediaException or TimeoutException)
            {
                loggers.CreateLogger(typeof(UploadsApi)).LogInformation("Upload refused: the image does not decode ({Reason})", e.Message);
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Not a valid image", $"The file starts like a {extension.ToUpperInvariant()} image but is not one, whole and readable.");
            }
            await media.ImportFileAsync(key, clean, ct);
            // The upload belongs to the caller: only they (and admins) can read it or use it as an imageUrl.
            db.Uploads.Add(new UploadRecord { Key = key, OwnerId = owner.Id, CreatedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            File.Delete(received);
            File.Delete(clean);
        }
        var url = urls.For(key);
        return TypedResults.Created(url, new UploadDto(url));
    }

    private static ProblemHttpResult Refused(HttpRequest request, UploadVerdict verdict)
    {
        if (verdict.RetryAfter is { } after)
        {
            request.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Problem(StatusCodes.Status429TooManyRequests, verdict.Title!, verdict.Detail!);
    }

    private static ProblemHttpResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Image too large", $"Images may be at most {MaxBytes / (1024 * 1024)} MB.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>The answer to an upload: where the stored image can be fetched (pass it as <c>imageUrl</c>).</summary>
public sealed record UploadDto(string Url);

/// <summary>Recognises the accepted image formats by their first bytes.</summary>
internal static class ImageSignature
{
    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> Riff => "RIFF"u8;

    private static ReadOnlySpan<byte> Webp => "WEBP"u8;

    /// <summary>The file extension for the format, or null when the bytes are none of PNG, JPEG, WebP.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(Png))
        {
            return "png";
        }
        if (head.StartsWith(Jpeg))
        {
            return "jpg";
        }
        if (head.Length >= 12 && head[..4].SequenceEqual(Riff) && head[8..12].SequenceEqual(Webp))
        {
            return "webp";
        }
        return null;
    }

    /// <summary>The format behind an extension <see cref="Detect"/> returned.</summary>
    public static UploadImageFormat FormatOf(string extension) => extension switch
    {
        "png" => UploadImageFormat.Png,
        "jpg" => UploadImageFormat.Jpeg,
        "webp" => UploadImageFormat.Webp,
        _ => throw new ArgumentOutOfRangeException(nameof(extension)),
    };
}
