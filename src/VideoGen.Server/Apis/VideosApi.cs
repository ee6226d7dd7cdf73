using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Models;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Housekeeping;
using VideoGen.Server.Options;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Apis;

/// <summary>The videos API: create (validate → row → job → 202), read, list, cancel, delete.</summary>
public static class VideosApi
{
    public static IEndpointRouteBuilder MapVideosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/videos").WithTags("Videos");
        api.MapPost("/", CreateVideo).AddEndpointFilter<RequiresDiskSpace>();
        api.MapGet("/", ListVideos);
        api.MapGet("/events", VideoEventsApi.StreamAllEvents);
        api.MapGet("/{id}", GetVideo);
        api.MapPost("/{id}/cancel", CancelVideo);
        api.MapDelete("/{id}", DeleteVideoApi.DeleteVideo);
        api.MapGet("/{id}/events", VideoEventsApi.StreamEvents);
        return app;
    }

    public static async Task<Results<Accepted<VideoDto>, ValidationProblem, ProblemHttpResult>> CreateVideo(
        HttpRequest request,
        AppDbContext db,
        CurrentOwner owner,
        VideoJobs jobs,
        VideoRequestValidator validator,
        IMediaStore media,
        MediaUrls urls,
        TimeProvider time,
        IOptions<VideoGenOptions> options,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<CreateVideoBody>(request, options.Value.MaxJsonBodyBytes, CreateVideoBody.Fields, ct);
        if (body.Problem is not null)
        {
            return body.Problem switch
            {
                ValidationProblem v => v,
                ProblemHttpResult p => p,
                _ => throw new InvalidOperationException("Unexpected problem result."),
            };
        }
        var input = body.Value!;
        var validation = validator.Validate(new VideoCreateRequest
        {
            Prompt = input.Prompt,
            Model = input.Model,
            Seed = input.Seed,
            NegativePrompt = input.NegativePrompt,
            ImageUrl = input.ImageUrl,
            Parameters = input.Parameters,
        });
        var errors = validation.Errors;
        if (await MissingUploadAsync(input.ImageUrl, media, urls.PublicBaseUrl, ct) is { } missing && !errors.ContainsKey("imageUrl"))
        {
            errors["imageUrl"] = [missing];
        }
        else if (UploadedImageUrl.TryParse(UploadPath(input.ImageUrl, urls.PublicBaseUrl), out var uploadKey)
            && !errors.ContainsKey("imageUrl") && !await Ownership.CanUseUploadAsync(uploadKey, owner, db, ct))
        {
            // Someone else's upload does not exist for this caller.
            errors["imageUrl"] = [MissingUploadMessage];
        }
        if (!validation.IsValid || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var valid = validation.Request!;
        var now = time.GetUtcNow();
        var video = new Video
        {
            Id = VideoIds.New(time),
            UserId = owner.Id,
            Prompt = valid.Prompt,
            Model = valid.Model.Id,
            Seed = valid.Seed,
            NegativePrompt = valid.NegativePrompt,
            ImageUrl = valid.ImageUrl,
            ParametersJson = valid.ParametersJson,
            EstimatedCostUsd = valid.EstimatedCostUsd,
            Status = VideoStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Videos.Add(video);
        await db.SaveChangesAsync(ct);

        try
        {
            await jobs.EnqueueAsync(video, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The row is durable and queued; the reconciler enqueues it once the queue is back.
            loggers.CreateLogger(typeof(VideosApi)).LogError(e, "Enqueue of video {VideoId} failed; the reconciler will retry it", video.Id);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Queue unavailable",
                detail: $"Video {video.Id} was stored but could not be queued yet; it will be queued automatically.",
                extensions: new Dictionary<string, object?> { ["videoId"] = video.Id });
        }
        return TypedResults.Accepted($"/api/videos/{video.Id}", VideoDto.From(video, urls));
    }

    public static async Task<Results<Ok<VideoDto>, ProblemHttpResult>> GetVideo(string id, AppDbContext db, CurrentOwner owner, MediaUrls urls, CancellationToken ct)
    {
        var video = await FindAsync(db, id, owner, ct);
        return video is null ? NotFound(id) : TypedResults.Ok(VideoDto.From(video, urls));
    }

    public static async Task<Results<Ok<VideoPage>, ValidationProblem>> ListVideos(
        string? cursor, string? limit, AppDbContext db, CurrentOwner owner, MediaUrls urls, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var size = Paging.ReadLimit(limit, errors);
        VideoCursor? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (VideoCursor.TryDecode(cursor, out var decoded))
            {
                after = decoded;
            }
            else
            {
                Paging.RejectCursor(errors);
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.Videos.AsNoTracking().VisibleTo(owner);
        if (after is { } last)
        {
            query = query.Where(v => v.CreatedAt < last.CreatedAt || (v.CreatedAt == last.CreatedAt && string.Compare(v.Id, last.Id) < 0));
        }
        var rows = await query.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id).Take(size + 1).ToListAsync(ct);
        var next = rows.Count > size ? new VideoCursor(rows[size - 1].CreatedAt, rows[size - 1].Id).Encode() : null;
        return TypedResults.Ok(new VideoPage(rows.Take(size).Select(v => VideoDto.From(v, urls)).ToList(), next));
    }

    /// <summary>
    /// A video still waiting is canceled at once (200); a running one is asked to stop and ends
    /// canceled through its worker (202); a finished one is left alone (409). A video canceled at
    /// once may still be generating at the provider (its job was waiting between retries): the
    /// provider is told to stop here, and if that fails the reconciler tells it later.
    /// </summary>
    public static async Task<Results<Ok<VideoDto>, Accepted<VideoDto>, ProblemHttpResult>> CancelVideo(
        string id, AppDbContext db, CurrentOwner owner, VideoJobs jobs, VideoReconciler reconciler, MediaUrls urls, TimeProvider time, CancellationToken ct)
    {
        var video = await FindAsync(db, id, owner, ct, tracked: true);
        if (video is null)
        {
            return NotFound(id);
        }
        if (video.Status.IsTerminal())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Video already finished",
                detail: $"Video {id} is {video.Status.ToWire()}; only unfinished videos can be canceled.");
        }

        // The row says "cancel requested" before the queue is told, so a worker woken by the queue's
        // cancel (or claiming the job right now) already finds it there and ends the video canceled.
        var now = time.GetUtcNow();
        video.CancelRequestedAt ??= now;
        video.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        var outcome = await jobs.Queue.CancelAsync(id, "Canceled by the user.", ct);
        // Waiting jobs are canceled in the queue at once; a queued row with no job (crash before enqueue) likewise.
        var canceledNow = outcome == CancelOutcome.Canceled || (outcome == CancelOutcome.NotFound && video.Status == VideoStatus.Queued);
        if (canceledNow)
        {
            video.Status = VideoStatus.Canceled;
            video.CompletedAt = now;
            video.Error = "Canceled by the user.";
        }
        await db.SaveChangesAsync(ct);
        if (canceledNow)
        {
            // No worker holds the job, so none will stop the generation at the provider: a canceled row with
            // a provider request owes that cancel. Best effort here (the row is re-read, so a request id saved
            // since this copy was loaded counts); what fails stays owed and the reconciler sends it.
            await reconciler.SendProviderCancelAsync(id, ct);
        }
        var dto = VideoDto.From(video, urls);
        return canceledNow ? TypedResults.Ok(dto) : TypedResults.Accepted($"/api/videos/{id}", dto);
    }

    /// <summary>
    /// The validator is pure, so whether an image URL naming one of our uploads (relative, or absolute under
    /// <c>VideoGen:PublicBaseUrl</c>) still has its file in the media store is checked here. Null when fine.
    /// </summary>
    internal static async Task<string?> MissingUploadAsync(string? imageUrl, IMediaStore media, Uri? publicBaseUrl, CancellationToken ct) =>
        UploadedImageUrl.TryParse(UploadPath(imageUrl, publicBaseUrl), out var key) && !await media.ExistsAsync(key, ct) ? MissingUploadMessage : null;

    private const string MissingUploadMessage = "No uploaded image exists at this URL; upload it again with POST /api/uploads.";

    /// <summary>The image URL with our own <c>VideoGen:PublicBaseUrl</c> taken off, so an upload URL reads as <c>/media/uploads/…</c>.</summary>
    private static string? UploadPath(string? imageUrl, Uri? publicBaseUrl)
    {
        var url = imageUrl?.Trim();
        if (url is not null && publicBaseUrl is { } publicBase)
        {
            var prefix = publicBase.AbsoluteUri.TrimEnd('/') + UploadedImageUrl.PathPrefix;
            if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                url = UploadedImageUrl.PathPrefix + url[prefix.Length..];
            }
        }
        return url;
    }

    /// <summary>The video if it exists and <paramref name="owner"/> may see it; otherwise null (answered as 404).</summary>
    internal static async Task<Video?> FindAsync(AppDbContext db, string id, CurrentOwner owner, CancellationToken ct, bool tracked = false)
    {
        if (!VideoIds.IsWellFormed(id))
        {
            return null;
        }
        var query = tracked ? db.Videos : db.Videos.AsNoTracking();
        return await query.VisibleTo(owner).FirstOrDefaultAsync(v => v.Id == id, ct);
    }

    internal static ProblemHttpResult NotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Video not found",
        detail: $"There is no video with id '{(id.Length > 64 ? id[..64] + "…" : id)}'.");
}
