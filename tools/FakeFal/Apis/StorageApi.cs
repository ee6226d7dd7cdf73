using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakeFal.Faults;
using FakeFal.Options;
using FakeFal.Stats;
using FakeFal.Storage;
using Microsoft.AspNetCore.Http.Features;

namespace FakeFal.Apis;

/// <summary>
/// fal's storage upload as the official JS client (<c>@fal-ai/client</c> 1.10.1, <c>src/storage.js</c>) drives it, on
/// FakeFal's own host (at fal it is <c>https://rest.fal.ai</c>):
/// <c>POST /storage/upload/initiate[?storage_type=…]</c> with <c>Authorization: Key …</c> and
/// <c>{content_type, file_name}</c> → <c>{upload_url, file_url}</c>; <c>PUT upload_url</c> with the bytes (no key: the
/// URL's token is its signature) → 200; then <c>GET file_url</c> serves them (no auth, ranges). Multipart (the client's
/// path above 90 MB): <c>POST /storage/upload/initiate-multipart</c>, <c>PUT {upload_url path}/{part}</c> →
/// <c>{partNumber, etag}</c>, <c>POST {upload_url path}/complete</c> with <c>{parts:[{partNumber, etag}]}</c>.
/// Transport faults apply per route <c>storage_initiate</c> and <c>storage_upload</c>.
/// </summary>
public static class StorageApi
{
    public const string InitiateRoute = "storage_initiate";
    public const string UploadRoute = "storage_upload";

    public static void MapStorageApi(this WebApplication app)
    {
        app.MapPost("/storage/upload/initiate", (HttpContext c, RuntimeSettings s, FileStore f, FaultInjector fi, FakeFalStats st, TimeProvider t)
            => InitiateAsync(c, multipart: false, s, f, fi, st, t));
        app.MapPost("/storage/upload/initiate-multipart", (HttpContext c, RuntimeSettings s, FileStore f, FaultInjector fi, FakeFalStats st, TimeProvider t)
            => InitiateAsync(c, multipart: true, s, f, fi, st, t));
        app.MapPut("/storage/upload/{id}", PutAsync);
        app.MapPut("/storage/upload/{id}/{part:int}", PutPartAsync);
        app.MapPost("/storage/upload/{id}/complete", CompleteAsync);
        app.MapMethods("/files/uploads/{id}/{name}", ["GET", "HEAD"], GetFile);
    }

    private static async Task<IResult> InitiateAsync(
        HttpContext context, bool multipart, RuntimeSettings settings, FileStore files, FaultInjector faults, FakeFalStats stats, TimeProvider time)
    {
        if (!FalHttp.IsAuthorized(context.Request))
        {
            stats.Storage.Refused();
            return FalHttp.Unauthorized();
        }

        var decision = faults.Decide(InitiateRoute);
        await FalHttp.DelayAsync(decision, time, context.RequestAborted);
        if (FalHttp.Rejection(decision) is { } rejection)
        {
            return rejection;
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var contentType = Text(body?["content_type"]);
        if (contentType is null || !IsMediaType(contentType))
        {
            stats.Storage.Refused();
            return Invalid("content_type", "content_type must be a media type such as image/png.");
        }

        var file = files.Create(contentType, SafeName(Text(body?["file_name"])), multipart);
        stats.Storage.Initiated();
        var baseUrl = FalHttp.BaseUrl(context.Request, settings.Current);
        var answer = FalHttp.Json(200, new JsonObject
        {
            ["upload_url"] = $"{baseUrl}/storage/upload/{file.Id}?token={file.Token}",
            ["file_url"] = FileUrl(baseUrl, file),
        });
        return FalHttp.Deliver(context, decision, answer);
    }

    private static async Task<IResult> PutAsync(
        string id, HttpContext context, RuntimeSettings settings, FileStore files, FaultInjector faults, FakeFalStats stats, TimeProvider time)
    {
        var (file, refusal) = await BeginUploadAsync(id, context, files, faults, stats, time, multipart: false);
        if (refusal is not null)
        {
            return refusal;
        }

        var (bytes, tooLarge) = await ReadBodyAsync(context, settings.Current.Storage.MaxFileBytes);
        if (tooLarge is not null)
        {
            stats.Storage.Refused();
            return tooLarge;
        }

        lock (file!.Gate)
        {
            if (context.Request.ContentType is { Length: > 0 } declared)
            {
                file.ContentType = declared;
            }

            file.Data = bytes;
        }

        stats.Storage.Uploaded(bytes!.Length);
        return Results.Ok();
    }

    private static async Task<IResult> PutPartAsync(
        string id, int part, HttpContext context, RuntimeSettings settings, FileStore files, FaultInjector faults, FakeFalStats stats, TimeProvider time)
    {
        var (file, refusal) = await BeginUploadAsync(id, context, files, faults, stats, time, multipart: true);
        if (refusal is not null)
        {
            return refusal;
        }

        if (part is < 1 or > 10_000)
        {
            stats.Storage.Refused();
            return Invalid("part_number", "Part numbers run from 1 to 10000.");
        }

        var (bytes, tooLarge) = await ReadBodyAsync(context, settings.Current.Storage.MaxFileBytes);
        if (tooLarge is not null)
        {
            stats.Storage.Refused();
            return tooLarge;
        }

        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes!), 0, 16)}\"";
        lock (file!.Gate)
        {
            file.Parts[part] = (bytes!, etag);
        }

        stats.Storage.Part();
        return FalHttp.Json(200, new JsonObject { ["partNumber"] = part, ["etag"] = etag });
    }

    private static async Task<IResult> CompleteAsync(
        string id, HttpContext context, RuntimeSettings settings, FileStore files, FaultInjector faults, FakeFalStats stats, TimeProvider time)
    {
        var (file, refusal) = await BeginUploadAsync(id, context, files, faults, stats, time, multipart: true);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonArray? parts;
        try
        {
            parts = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))?["parts"] as JsonArray;
        }
        catch (JsonException)
        {
            parts = null;
        }

        if (parts is null || parts.Count == 0)
        {
            stats.Storage.Refused();
            return Invalid("parts", "parts must list every uploaded part as {partNumber, etag}.");
        }

        byte[] assembled;
        lock (file!.Gate)
        {
            using var buffer = new MemoryStream();
            foreach (var p in parts)
            {
                var number = p?["partNumber"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
                if (!file.Parts.TryGetValue(number, out var stored) || stored.ETag != Text(p?["etag"]))
                {
                    stats.Storage.Refused();
                    return Invalid("parts", $"Part {number} was not uploaded or its etag does not match.");
                }

                if (buffer.Length + stored.Bytes.Length > settings.Current.Storage.MaxFileBytes)
                {
                    stats.Storage.Refused();
                    return TooLarge(settings.Current.Storage.MaxFileBytes);
                }

                buffer.Write(stored.Bytes);
            }

            assembled = buffer.ToArray();
            file.Data = assembled;
            file.Parts.Clear();
        }

        stats.Storage.Uploaded(assembled.Length);
        return FalHttp.Json(200, new JsonObject { ["file_url"] = FileUrl(FalHttp.BaseUrl(context.Request, settings.Current), file) });
    }

    private static IResult GetFile(string id, string name, FileStore files)
    {
        if (files.Find(id) is not { } file || file.FileName != name)
        {
            return Results.NotFound();
        }

        byte[]? data;
        string contentType;
        lock (file.Gate)
        {
            data = file.Data;
            contentType = file.ContentType;
        }

        return data is null ? Results.NotFound() : Results.Bytes(data, contentType, enableRangeProcessing: true);
    }

    /// <summary>Faults, then the pre-signed URL's token: 403 for an unknown id or a wrong token, 400 for the wrong kind of upload.</summary>
    private static async Task<(StoredFile? File, IResult? Refusal)> BeginUploadAsync(
        string id, HttpContext context, FileStore files, FaultInjector faults, FakeFalStats stats, TimeProvider time, bool multipart)
    {
        var decision = faults.Decide(UploadRoute);
        await FalHttp.DelayAsync(decision, time, context.RequestAborted);
        if (FalHttp.Rejection(decision) is { } rejection)
        {
            return (null, rejection);
        }

        if (decision.Fault == TransportFault.Drop)
        {
            context.Abort();
            return (null, Results.Empty);
        }

        var file = files.FindForUpload(id, context.Request.Query["token"].ToString());
        if (file is null)
        {
            stats.Storage.Refused();
            return (null, FalHttp.Json(403, new JsonObject { ["detail"] = "Invalid or expired upload URL." }));
        }

        if (file.Multipart != multipart)
        {
            stats.Storage.Refused();
            return (null, Invalid("upload_url", multipart
                ? "This upload was initiated as a single upload: PUT the whole file to upload_url."
                : "This upload was initiated as multipart: PUT parts to {upload_url}/{part_number}, then POST {upload_url}/complete."));
        }

        return (file, null);
    }

    /// <summary>The whole body, or a 413 once it exceeds <paramref name="max"/> bytes.</summary>
    private static async Task<(byte[]? Bytes, IResult? TooLarge)> ReadBodyAsync(HttpContext context, long max)
    {
        if (context.Request.ContentLength > max)
        {
            return (null, TooLarge(max));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return (null, TooLarge(max));
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(max));
        }
    }

    private static string FileUrl(string baseUrl, StoredFile file) => $"{baseUrl}/files/uploads/{file.Id}/{Uri.EscapeDataString(file.FileName)}";

    private static IResult TooLarge(long max) =>
        FalHttp.Json(413, new JsonObject { ["detail"] = $"File too large: at most {max} bytes per upload." });

    private static IResult Invalid(string field, string message) => FalHttp.Json(422, new JsonObject
    {
        ["detail"] = new JsonArray(new JsonObject
        {
            ["loc"] = new JsonArray("body", field),
            ["msg"] = message,
            ["type"] = "value_error",
        }),
    });

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool IsMediaType(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return value.Length <= 255 && slash > 0 && slash < value.Length - 1 && !value.Any(char.IsControl);
    }

    /// <summary>The client's file name made URL- and path-safe; like fal, a missing one still yields a file.</summary>
    private static string SafeName(string? name)
    {
        var safe = new string((name ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()).Trim('.');
        return safe.Length == 0 ? "file" : safe.Length > 100 ? safe[^100..] : safe;
    }
}
