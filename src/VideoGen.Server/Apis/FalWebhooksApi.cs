using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>POST /webhooks/fal</c>: fal's completion callback. The raw body is read (capped), the ED25519 signature verified,
/// and the waiting job woken through <see cref="IProviderSignals"/> — in whichever process it runs. The payload itself is
/// not trusted for the result: the woken pipeline asks fal's status at once. Invalid deliveries change nothing.
/// Anonymous by design: the signature is the authentication. Map it only when the fal provider is registered
/// (<c>AddFalProvider</c>); its services are resolved from DI.
/// </summary>
public static class FalWebhooksApi
{
    public const string Route = "/webhooks/fal";

    public static IEndpointRouteBuilder MapFalWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("FalWebhook")
            .WithTags("webhooks");
        return app;
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> HandleAsync(
        HttpRequest request,
        [FromServices] FalWebhookVerifier verifier,
        [FromServices] IProviderSignals signals,
        [FromServices] IOptionsMonitor<FalOptions> options,
        [FromServices] ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(FalWebhooksApi).FullName!);
        var body = await CappedBody.ReadAsync(request, options.CurrentValue.WebhookMaxBodyBytes, ct);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Webhook body too large.");
        }

        var headers = new FalWebhookHeaders(
            request.Headers[FalWebhookHeaders.RequestIdHeader].ToString(),
            request.Headers[FalWebhookHeaders.UserIdHeader].ToString(),
            request.Headers[FalWebhookHeaders.TimestampHeader].ToString(),
            request.Headers[FalWebhookHeaders.SignatureHeader].ToString());
        var verdict = await verifier.VerifyAsync(headers, body, ct);
        switch (verdict.Outcome)
        {
            case FalWebhookOutcome.Valid:
                if (request.Query["video"].ToString() is { Length: > 0 } videoId)
                {
                    await ReattachIfSubmitWasLostAsync(request.HttpContext.RequestServices, videoId, verdict.RequestId!, ct);
                }

                await signals.SignalAsync(verdict.RequestId!, ct);
                logger.LogInformation("fal webhook for request {RequestId} verified; job woken", verdict.RequestId);
                return TypedResults.Ok();
            case FalWebhookOutcome.Malformed:
                logger.LogWarning("fal webhook refused as malformed: {Reason}", verdict.Reason);
                return Problem(StatusCodes.Status400BadRequest, "Malformed webhook.", verdict.Reason);
            case FalWebhookOutcome.Unavailable:
                return Problem(StatusCodes.Status503ServiceUnavailable, "Webhook cannot be verified right now.", verdict.Reason);
            default:
                logger.LogWarning("fal webhook refused: {Reason}", verdict.Reason);
                return Problem(StatusCodes.Status401Unauthorized, "Webhook signature refused.", verdict.Reason);
        }
    }

    /// <summary>
    /// The webhook URL names the video it was submitted for (see VideoPipeline.WebhookUrlFor). A video that failed
    /// because its submit answer was lost is re-attached to the request fal reports and run again (LostSubmitReattacher);
    /// any other video is left alone. A failure here answers 500, so fal delivers the webhook again.
    /// </summary>
    private static async Task ReattachIfSubmitWasLostAsync(IServiceProvider services, string videoId, string requestId, CancellationToken ct)
    {
        if (await services.GetRequiredService<LostSubmitReattacher>().TryReattachAsync(videoId, FalVideoProvider.ProviderName, requestId, ct) is { } reattached)
        {
            await services.GetRequiredService<VideoJobs>().RunAgainAsync(reattached.Video, waitForActive: reattached.Fresh, ct);
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string? detail = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
