using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FakeFal.Tests.Infrastructure;

/// <summary>One received webhook: raw body bytes and the fal signature headers.</summary>
public sealed record ReceivedWebhook(byte[] Body, string RequestId, string UserId, string Timestamp, string Signature);

/// <summary>A real HTTP endpoint that records webhooks; it can refuse the first N deliveries with 500.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app, string url, int failFirst)
    {
        _app = app;
        Url = url;
        _failuresLeft = failFirst;
    }

    public string Url { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int Attempts;

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            Interlocked.Increment(ref self!.Attempts);
            if (Interlocked.Decrement(ref self._failuresLeft) >= 0)
            {
                return Results.StatusCode(500);
            }

            self.Received.Enqueue(new ReceivedWebhook(
                buffer.ToArray(),
                request.Headers["X-Fal-Webhook-Request-Id"].ToString(),
                request.Headers["X-Fal-Webhook-User-Id"].ToString(),
                request.Headers["X-Fal-Webhook-Timestamp"].ToString(),
                request.Headers["X-Fal-Webhook-Signature"].ToString()));
            return Results.Ok();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        self = new WebhookReceiver(app, address.TrimEnd('/') + "/hook", failFirst);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
