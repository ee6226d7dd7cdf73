using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using FakeFal.Apis;
using FakeFal.Faults;
using FakeFal.Options;
using FakeFal.Queue;
using FakeFal.Stats;

namespace FakeFal.Webhooks;

/// <summary>
/// Delivers signed webhooks in the background with retries (exponential backoff), and applies
/// the webhook faults: lost, late and duplicate deliveries. The raw body is serialized once, so a
/// retry or duplicate carries identical bytes with a fresh timestamp and signature.
/// </summary>
public sealed class WebhookSender(
    IHttpClientFactory clients,
    WebhookKey key,
    RuntimeSettings settings,
    FaultInjector faults,
    FakeFalStats stats,
    TimeProvider time,
    ILogger<WebhookSender> log)
{
    public const string ClientName = "fakefal-webhooks";

    public void Deliver(FalRequest request)
    {
        if (request.WebhookUrl is null)
        {
            return;
        }

        _ = Task.Run(() => DeliverAsync(request));
    }

    private async Task DeliverAsync(FalRequest request)
    {
        try
        {
            var f = settings.Current.Faults;
            if (PromptMarkers.Has(request.Input, PromptMarkers.NoWebhook) || faults.Hit("lost", f.LostWebhookRate, "webhook"))
            {
                stats.CountWebhook("lost");
                return;
            }

            if (faults.Hit("late", f.LateWebhookRate, "webhook"))
            {
                await Task.Delay(f.LateWebhookDelay, time);
            }

            var body = Encoding.UTF8.GetBytes(WebhookBody.For(request).Text());
            await SendWithRetriesAsync(request, body);
            if (faults.Hit("duplicate", f.DuplicateWebhookRate, "webhook"))
            {
                await SendWithRetriesAsync(request, body);
            }
        }
        catch (Exception ex)
        {
            log.LogWarning(ex, "Webhook delivery for {RequestId} crashed", request.Id);
        }
    }

    private async Task SendWithRetriesAsync(FalRequest request, byte[] body)
    {
        var o = settings.Current.Webhooks;
        var attempts = Math.Max(1, o.MaxAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            stats.CountWebhook("attempts");
            stats.CountRequestCall(request.Id, "webhook");
            try
            {
                using var timeout = new CancellationTokenSource(o.Timeout);
                using var message = Sign(request, body, o.UserId);
                using var response = await clients.CreateClient(ClientName).SendAsync(message, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    stats.CountWebhook("delivered");
                    return;
                }

                log.LogInformation("Webhook for {RequestId} answered {Status} (attempt {Attempt})", request.Id, (int)response.StatusCode, attempt);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                log.LogInformation("Webhook for {RequestId} failed: {Error} (attempt {Attempt})", request.Id, ex.Message, attempt);
            }

            if (attempt < attempts)
            {
                await Task.Delay(o.RetryDelay * Math.Pow(2, attempt - 1), time);
            }
        }

        stats.CountWebhook("failed");
    }

    private HttpRequestMessage Sign(FalRequest request, byte[] body, string userId)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var signature = key.Sign(WebhookSignature.Message(request.Id, userId, timestamp, body));
        var message = new HttpRequestMessage(HttpMethod.Post, request.WebhookUrl)
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Add(WebhookSignature.RequestIdHeader, request.Id);
        message.Headers.Add(WebhookSignature.UserIdHeader, userId);
        message.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        message.Headers.Add(WebhookSignature.SignatureHeader, Convert.ToHexStringLower(signature));
        return message;
    }
}
