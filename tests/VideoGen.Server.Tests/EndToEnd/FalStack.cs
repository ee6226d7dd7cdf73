using System.Net;
using System.Text;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>
/// Shared fixture: a FakeFal process and a <c>videogen serve</c> process (workers in-process, own
/// temp DataDir, free port) pointed at it. Subclasses choose the configuration; both processes are
/// killed by pid on dispose. Tests of one class run one after another, so a test may reconfigure
/// FakeFal (<see cref="FakeFalProcess.ConfigureAsync"/>) after <see cref="FakeFalProcess.ResetAsync"/>.
/// </summary>
public abstract class FalStack : IAsyncLifetime
{
    public const string TextToVideo = "fal-ai/kling-video/v2.1/standard/text-to-video";
    public const string ImageToVideo = "fal-ai/kling-video/v2.1/standard/image-to-video";

    private readonly TempDir _dir = new("videogen-e2e");

    public FakeFalProcess FakeFal { get; private set; } = null!;

    public VideoGenProcess Server { get; private set; } = null!;

    public HttpClient Http => Server.Http!;

    public string DataDir => _dir.Path;

    /// <summary>Whether the server's own URL is its PublicBaseUrl (fal webhooks) or it polls only.</summary>
    protected virtual bool Webhooks => false;

    /// <summary>Extra <c>--key=value</c> arguments for the server.</summary>
    protected virtual string[] ServerArgs => [];

    /// <summary><c>FakeFal:</c> settings at start.</summary>
    protected virtual (string Key, string Value)[] FakeFalSettings => [("Queue:QueueDelay", "00:00:00.300"), ("Queue:InProgress", "00:00:01.500")];

    public async ValueTask InitializeAsync()
    {
        FakeFal = await FakeFalProcess.StartAsync(FakeFalSettings);
        Server = await VideoGenProcess.ServeAsync(DataDir, FakeFal, Webhooks, ServerArgs);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        if (FakeFal is not null)
        {
            await FakeFal.DisposeAsync();
        }
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>POST /api/videos for a fal model; asserts 202 and returns the video id.</summary>
    public async Task<string> CreateVideoAsync(string prompt, string model = TextToVideo, string? imageUrl = null)
    {
        var body = JsonSerializer.Serialize(new { prompt, model, imageUrl });
        using var response = await Http.PostAsync("/api/videos", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/videos answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> GetVideoAsync(string id)
    {
        var text = await Http.GetStringAsync($"/api/videos/{id}", TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Polls the video until <paramref name="done"/> holds; on timeout fails naming what it waited for, with the server's log tail.</summary>
    public Task<JsonElement> WaitForVideoAsync(string id, Func<JsonElement, bool> done, TimeSpan timeout, string what) =>
        WaitAsync(() => GetVideoAsync(id), done, timeout, what, this);

    public Task<JsonElement> WaitForTerminalAsync(string id, TimeSpan timeout) =>
        WaitForVideoAsync(id, v => Status(v) is "succeeded" or "failed" or "canceled", timeout, $"video {id} to reach a terminal status");

    public static string Status(JsonElement video) => video.GetProperty("status").GetString()!;

    public static string? Text(JsonElement video, string property) =>
        video.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>Probes until <paramref name="done"/>; the failure message says what was awaited and shows the last value and logs.</summary>
    public static Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, FalStack? stack = null) =>
        Eventually.WaitForAsync(probe, done, timeout, what, TimeSpan.FromMilliseconds(100),
            stack is null ? null : () => $"--- videogen log tail ---\n{stack.Server.Process.Tail()}\n--- FakeFal log tail ---\n{stack.FakeFal.Process.Tail(30)}");
}

/// <summary>Polling path: no PublicBaseUrl, short poll interval.</summary>
public sealed class PollingFalStack : FalStack;

/// <summary>
/// Webhook path: PublicBaseUrl is the server's own URL and polling is slow (60 s after the first
/// status call), so only a webhook finishes a video quickly. Generation takes 4 s, so the webhook
/// comes well after the first status call (a signal sent while nobody waits is dropped).
/// </summary>
public sealed class WebhookFalStack : FalStack
{
    public static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(60);

    protected override bool Webhooks => true;

    protected override string[] ServerArgs => [$"--VideoGen:Pipeline:PollInterval={FirstPoll:c}", "--VideoGen:Pipeline:MaxPollInterval=00:02:00", "--VideoGen:Pipeline:PollJitter=0"];

    protected override (string Key, string Value)[] FakeFalSettings => [("Queue:QueueDelay", "00:00:00.300"), ("Queue:InProgress", "00:00:04")];
}

/// <summary>Deadline: generations take 60 s at FakeFal, the server gives each video 3 s.</summary>
public sealed class DeadlineFalStack : FalStack
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    protected override string[] ServerArgs => [$"--VideoGen:Pipeline:Deadline={Deadline:c}"];

    protected override (string Key, string Value)[] FakeFalSettings => [("Queue:QueueDelay", "00:00:00.300"), ("Queue:InProgress", "00:01:00")];
}
