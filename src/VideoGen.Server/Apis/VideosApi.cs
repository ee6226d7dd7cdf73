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
using VideoGen.Server.Limits;
using VideoGen.Server.Options;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Apis;

/// <summary>The videos API: create (validate → limits and budget → row → job → 202; <c>Idempotency-Key</c> honoured), read, list, cancel, delete.</summary>
public static class VideosApi
{
    public static IEndpointRouteBuilder MapVideosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/videos").WithTags("Videos").ProducesProblems(StatusCodes.Status401Unauthorized);
        api.MapPost("/", CreateVideo).AddEndpointFilter<RequiresDiskSpace>().WithSubmissionLimits()
            .Describe("CreateVideo", "Create a video", "Validates the request against the model's inputs, stores the video and queues it (202). Follow it with GET /api/videos/{id}/events.")
            .Accepts<CreateVideoBody>("application/json")
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/", ListVideos)
            .Describe("ListVideos", "List videos, newest first", "The caller's videos (an admin's: everyone's), one page at a time: pass nextCursor back as cursor.");
        api.MapGet("/events", VideoEventsApi.StreamAllEvents)
            .Describe("StreamAllVideoEvents", "Follow all of the caller's videos (Server-Sent Events)", "An event 'video' with a video's JSON each time one the caller may see changes; resumes with Last-Event-ID.")
            .ProducesProblems(StatusCodes.Status429TooManyRequests);
        api.MapGet("/{id}", GetVideo)
            .Describe("GetVideo", "Get a video")
            .ProducesProblems(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/cancel", CancelVideo)
            .Describe("CancelVideo", "Cancel a video", "A waiting video is canceled at once (200); a running one is asked to stop (202); a finished one is refused (409).")
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/{id}/retry", RetryVideoApi.RetryVideo)
            .Describe("RetryVideo", "Retry a failed or canceled video", "Runs the video again, re-attaching to its provider request when one exists (202); 409 unless it failed or was canceled.")
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapPost("/estimate", EstimateApi.Estimate)
            .Describe("EstimateVideoCost", "Estimate a video's cost", "The price estimate for a model and its options; nothing is stored.")
            .ProducesProblems(StatusCodes.Status403Forbidden);
        api.MapDelete("/{id}", DeleteVideoApi.DeleteVideo)
            .Describe("DeleteVideo", "Delete a finished video and its files")
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        api.MapGet("/{id}/events", VideoEventsApi.StreamEvents)
            .Describe("StreamVideoEvents", "Follow a video (Server-Sent Events)", "An event 'video' with the video's JSON each time it changes; the stream ends after a terminal status.")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests);
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
        SubmissionGate gate,
        TimeProvider time,
        IOptions<VideoGenOptions> options,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<CreateVideoBody>(request, options.Value.MaxJsonBodyBytes, CreateVideoBody.Fields, ct);
        if (body.Problem is not null)
        {
            return body.ProblemAs<Results<Accepted<VideoDto>, ValidationProblem, ProblemHttpResult>>(v => v, p => p);
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
        var admitted = await gate.CheckAsync(owner, valid.EstimatedCostUsd, request.HttpContext.Response, ct);
        if (admitted.Refusal is { } refusal)
        {
            return refusal;
        }
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
            Priority = admitted.Priority,
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

    /// <summary>
    /// The caller's videos, newest first, paged by cursor; <c>status</c> (a wire status or a comma list) and <c>q</c>
    /// (a case-insensitive substring of the prompt) narrow the list (<see cref="VideoListFilter"/>).
    /// </summary>
    public static async Task<Results<Ok<VideoPage>, ValidationProblem>> ListVideos(
        string? cursor, string? limit, string? status, string? q, AppDbContext db, CurrentOwner owner, MediaUrls urls, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var size = Paging.ReadLimit(limit, errors);
        var filter = VideoListFilter.Read(status, q, errors);
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

        var query = filter.Apply(db.Videos.AsNoTracking().VisibleTo(owner));
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
    /// <remarks>
    /// Both writes leave the pipeline's transitions alone: the cancel request is one column set on its own, and the
    /// move to canceled is a compare-and-set on the status and request id read here (<see cref="IVideoRepository.TrySaveAsync"/>),
    /// so a worker that moved the video meanwhile (e.g. submitted it) is never overwritten; that worker finds the cancel
    /// request and ends the video canceled itself (202).
    /// </remarks>
    public static async Task<Results<Ok<VideoDto>, Accepted<VideoDto>, ProblemHttpResult>> CancelVideo(
        string id, AppDbContext db, CurrentOwner owner, VideoJobs jobs, IVideoRepository videos, VideoReconciler reconciler, MediaUrls urls, TimeProvider time, CancellationToken ct)
    {
        var video = await FindAsync(db, id, owner, ct);
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
        await db.Videos.Where(v => v.Id == id && v.CancelRequestedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.CancelRequestedAt, now).SetProperty(v => v.UpdatedAt, now), ct);
        video.CancelRequestedAt ??= now;
        var outcome = await jobs.Queue.CancelAsync(id, "Canceled by the user.", ct);
        // Waiting jobs are canceled in the queue at once; a queued row with no job (crash before enqueue) likewise.
        var canceledNow = outcome == CancelOutcome.Canceled || (outcome == CancelOutcome.NotFound && video.Status == VideoStatus.Queued);
        if (canceledNow)
        {
            var seen = StoredVideoState.Of(video);
            video.Status = VideoStatus.Canceled;
            video.QueuePosition = null;
            video.CompletedAt = now;
            video.Error = "Canceled by the user.";
            video.UpdatedAt = now;
            if (!await videos.TrySaveAsync(video, seen, ct))
            {
                // A worker moved the video since it was read: it is running and will see the cancel request.
                canceledNow = false;
                video = await videos.FindAsync(id, ct) ?? video;
            }
        }
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
