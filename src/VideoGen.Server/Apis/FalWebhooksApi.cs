using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>POST /webhooks/fal</c>: fal's completion callback. The raw body is read (capped) and the ED25519 signature
/// verified; a valid delivery is handed to <see cref="ProviderWebhooks"/>, which decides what it does (wake the waiting
/// job, re-attach a lost submit) only when the URL's <c>token</c> is the one we gave out for its <c>video</c>
/// (<see cref="WebhookTokens"/>): fal signs every customer's webhooks with the same keys, so the signature proves fal
/// sent it, the token that the URL is ours. Invalid deliveries change nothing. Anonymous by design: signature and
/// token are the authentication. Map it only when the fal provider is registered (<c>AddFalProvider</c>).
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
            .WithTags("webhooks")
            .WithSummary("fal's completion webhook (called by fal, not by clients)")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> HandleAsync(
        HttpRequest request,
        [FromServices] FalWebhookVerifier verifier,
        [FromServices] ProviderWebhooks webhooks,
        [FromServices] WebhookTokens tokens,
        [FromServices] IOptionsMonitor<FalOptions> options,
        [FromServices] ILoggerFactory loggers,
        CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(FalWebhooksApi).FullName!);
        // Checked first, acted on after the signature check (so malformed deliveries keep their own answer).
        var videoId = request.Query["video"].ToString();
        var tokenValid = tokens.IsValid(videoId, request.Query["token"].ToString());
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
            case FalWebhookOutcome.Valid when !tokenValid:
                logger.LogWarning("fal webhook for request {RequestId} refused: its URL token does not match video {VideoId}", verdict.RequestId, videoId);
                return Problem(StatusCodes.Status403Forbidden, "Webhook URL refused.", "The webhook URL was not issued by this server.");
            case FalWebhookOutcome.Valid:
                // The webhook URL names the video it was submitted for; a failure here answers 500, so fal delivers again.
                await webhooks.AcceptAsync(new VerifiedWebhook(FalVideoProvider.ProviderName, verdict.RequestId!, videoId), ct);
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

    private static ProblemHttpResult Problem(int status, string title, string? detail = null) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
