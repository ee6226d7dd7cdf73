using Microsoft.Extensions.Options;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Server.Hosting;

/// <summary>
/// Says loudly at start when fal webhooks are on (a fal key and <c>VideoGen:PublicBaseUrl</c>) but
/// <c>VideoGen:Providers:Fal:ExpectedWebhookUserId</c> is unset: fal signs every account's webhooks with the same
/// keys, so deliveries signed for any fal account then pass the signature check (the URL token still binds each
/// delivery to a URL this server issued).
/// </summary>
internal sealed partial class FalWebhookSenderWarning(
    IOptions<FalOptions> fal,
    IOptions<VideoGen.Core.Models.PublicUrlOptions> publicUrls,
    ILogger<FalWebhookSenderWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (publicUrls.Value.PublicBaseUrl is not null && string.IsNullOrWhiteSpace(fal.Value.ExpectedWebhookUserId))
        {
            LogAnySender(logger);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "SECURITY: fal webhooks are on but VideoGen:Providers:Fal:ExpectedWebhookUserId is not set: " +
        "webhooks signed for ANY fal account are accepted (each must still carry this server's URL token). Set it to your fal user id.")]
    private static partial void LogAnySender(ILogger logger);
}
