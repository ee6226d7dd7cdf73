using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FakeFal.Tests.Infrastructure;

/// <summary>A FakeFal on a real Kestrel port (127.0.0.1, OS-chosen), started in-process per test.</summary>
public sealed class FakeFalHost : IAsyncDisposable
{
    public const string Model = "fal-ai/kling-video/v2.1/standard/text-to-video";
    public const string App = "fal-ai/kling-video";

    private readonly WebApplication _app;

    private FakeFalHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", "test-key");
    }

    public string BaseUrl { get; }

    /// <summary>Sends <c>Authorization: Key test-key</c>.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts FakeFal with fast defaults (short queue/progress times) plus <paramref name="settings"/>.</summary>
    public static async Task<FakeFalHost> StartAsync(params string[] settings)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--FakeFal:Queue:QueueDelay=00:00:00.050",
            "--FakeFal:Queue:InProgress=00:00:00.400",
            "--FakeFal:Queue:LogInterval=00:00:00.100",
            "--FakeFal:Media:DefaultWidth=320",
            "--FakeFal:Media:DefaultHeight=180",
            "--FakeFal:Media:DurationSeconds=1",
            "--FakeFal:Webhooks:RetryDelay=00:00:00.100",
            .. settings,
        ];
        var app = FakeFalApp.Create(args);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new FakeFalHost(app, address.TrimEnd('/'));
    }

    public async Task<JsonObject> SubmitAsync(JsonObject? input = null, string? webhook = null, string? idempotencyKey = null, string model = Model)
    {
        using var response = await SendSubmitAsync(input, webhook, idempotencyKey, model);
        Assert.Equal(200, (int)response.StatusCode);
        return await ReadObjectAsync(response);
    }

    public async Task<HttpResponseMessage> SendSubmitAsync(JsonObject? input = null, string? webhook = null, string? idempotencyKey = null, string model = Model)
    {
        var url = webhook is null ? model : $"{model}?fal_webhook={Uri.EscapeDataString(webhook)}";
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent((input ?? new JsonObject { ["prompt"] = "a red fox in snow" }).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("X-Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(message, TestContext.Current.CancellationToken);
    }

    public async Task<(int Status, JsonObject Body)> StatusAsync(JsonObject submitted, bool logs = true)
    {
        using var response = await Client.GetAsync($"{submitted["status_url"]}?logs={(logs ? 1 : 0)}", TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await ReadObjectAsync(response));
    }

    /// <summary>Polls the status URL until COMPLETED (bounded).</summary>
    public async Task<JsonObject> WaitCompletedAsync(JsonObject submitted, TimeSpan? timeout = null)
    {
        JsonObject last = new();
        await Eventually.TrueAsync(async () =>
        {
            var (status, body) = await StatusAsync(submitted);
            last = body;
            return status == 200 && (string?)body["status"] == "COMPLETED";
        }, timeout ?? TimeSpan.FromSeconds(30), $"request {submitted["request_id"]} to reach COMPLETED");
        return last;
    }

    public async Task ConfigureAsync(JsonObject patch)
    {
        using var response = await Client.PostAsJsonAsync("_fake/config", patch, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
    }

    public async Task<JsonObject> StatsAsync()
    {
        using var response = await Client.GetAsync("_fake/stats", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        return await ReadObjectAsync(response);
    }

    /// <summary><c>GET /_fake/requests/{id}</c>: the request's state and the input it was submitted with.</summary>
    public async Task<JsonObject> RequestAsync(string requestId)
    {
        using var response = await Client.GetAsync($"_fake/requests/{requestId}", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)response.StatusCode);
        return await ReadObjectAsync(response);
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonNode.Parse(text) as JsonObject ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
