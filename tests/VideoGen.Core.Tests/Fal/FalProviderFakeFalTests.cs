using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoGen.Core.Models;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

/// <summary>The fal provider against tools/FakeFal running as a real process.</summary>
public sealed class FalProviderFakeFalTests(FakeFalServer server) : IClassFixture<FakeFalServer>, IDisposable
{
    private readonly List<ServiceProvider> _providers = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServiceProvider Services(Uri? baseUrl = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:Key"] = "test-id:test-secret",
            ["VideoGen:Providers:Fal:BaseUrl"] = (baseUrl ?? server.BaseUrl).ToString(),
            ["VideoGen:Providers:Fal:JwksUrl"] = new Uri(server.BaseUrl, "/.well-known/jwks.json").ToString(),
            ["VideoGen:Providers:Fal:AllowLoopback"] = "true",
            ["VideoGen:Providers:Fal:RetryBaseDelay"] = "00:00:00.050",
            ["VideoGen:Providers:Fal:MaxRetryAttempts"] = "3",
            ["VideoGen:Providers:Fal:AttemptTimeout"] = "00:00:05",
        }).Build();
        var sp = new ServiceCollection().AddLogging().AddFalProvider(config).BuildServiceProvider(validateScopes: true);
        _providers.Add(sp);
        return sp;
    }

    private FalVideoProvider Provider(Uri? baseUrl = null) => Services(baseUrl).GetRequiredService<FalVideoProvider>();

    private static ProviderRequest Request(string videoId, string prompt = "a red fox in snow", string model = FalModelCatalog.KlingTextToVideo, string? parameters = """{"duration":"5","aspect_ratio":"16:9"}""", Uri? webhook = null) =>
        new(videoId, model, prompt, null, parameters, null, null, webhook);

    private static string NewVideoId() => "vid-" + Guid.NewGuid().ToString("N");

    private static async Task<(ProviderStatus Last, List<ProviderStatus> Seen)> PollUntil(FalVideoProvider fal, ProviderHandle handle, Func<ProviderStatus, bool> done, string waitingFor)
    {
        var seen = new List<ProviderStatus>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var status = await fal.GetStatusAsync(handle, Ct);
            seen.Add(status);
            if (done(status))
            {
                return (status, seen);
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Timed out after 30 s waiting for {waitingFor}; saw {string.Join(", ", seen.Select(s => s.Phase).Distinct())}.");
    }

    private static long Count(JsonObject stats, params string[] path)
    {
        JsonNode? node = stats;
        foreach (var p in path)
        {
            node = node?[p];
        }

        return node?.GetValue<long>() ?? 0;
    }

    [Fact]
    public async Task Submit_ThenPoll_CompletesAndResultIsFakeFalsMp4()
    {
        await server.ResetAsync();
        var fal = Provider();
        var videoId = NewVideoId();

        var handle = await fal.SubmitAsync(Request(videoId), Ct);
        var (last, seen) = await PollUntil(fal, handle, s => s.Phase is ProviderPhase.Completed or ProviderPhase.Failed, "completion");
        var result = await fal.GetResultAsync(handle, Ct);

        Assert.Equal("fal", handle.Provider);
        Assert.StartsWith(server.BaseUrl.ToString().TrimEnd('/'), handle.StatusUrl, StringComparison.Ordinal);
        Assert.Equal(ProviderPhase.Completed, last.Phase);
        Assert.Equal(1, last.Progress);
        Assert.DoesNotContain(seen, s => s.Phase is ProviderPhase.Failed or ProviderPhase.NotFound);
        Assert.Equal("127.0.0.1", result.VideoUrl.Host);
        Assert.Equal("video/mp4", result.ContentType);
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(result.VideoUrl, Ct);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(bytes, 4, 4));
        Assert.Equal(1, Count(await server.StatsAsync(), "submissions", "by_idempotency_key", videoId));
    }

    [Fact]
    public async Task Status_WhileSlotsAreBusy_ReportsQueuePosition()
    {
        await server.ResetAsync(new { queue = new { slots = 1, inProgress = "00:00:05" } });
        var fal = Provider();

        var first = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        await fal.SubmitAsync(Request(NewVideoId()), Ct);
        var third = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        var status = await fal.GetStatusAsync(third, Ct);

        Assert.Equal(ProviderPhase.InQueue, status.Phase);
        Assert.NotNull(status.QueuePosition);
        Assert.InRange(status.QueuePosition!.Value, 1, 2);
        await fal.CancelAsync(first, Ct);
    }

    [Fact]
    public async Task Status_InProgress_CarriesLogLinesAndProgress()
    {
        await server.ResetAsync(new { queue = new { inProgress = "00:00:03", logInterval = "00:00:00.200" } });
        var fal = Provider();

        var handle = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        var (status, _) = await PollUntil(fal, handle, s => s is { Phase: ProviderPhase.InProgress, Logs.Count: > 0, Progress: > 0 }, "IN_PROGRESS with logs");

        Assert.Contains(status.Logs!, l => l.Contains('%', StringComparison.Ordinal));
        Assert.InRange(status.Progress!.Value, 0.01, 1);
    }

    [Fact]
    public async Task ErrorResult_IsFailedWithFalsReason_AndResultIsPermanent()
    {
        await server.ResetAsync();
        var fal = Provider();

        var handle = await fal.SubmitAsync(Request(NewVideoId(), prompt: "a fox [fakefal:error]"), Ct);
        var (status, _) = await PollUntil(fal, handle, s => s.Phase is ProviderPhase.Completed or ProviderPhase.Failed, "the error result");
        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.GetResultAsync(handle, Ct));

        Assert.Equal(ProviderPhase.Failed, status.Phase);
        Assert.Equal("content_policy_violation", status.ErrorType);
        Assert.Contains("flagged by a content checker", status.Error, StringComparison.Ordinal);
        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal("content_policy_violation", ex.ErrorType);
        Assert.StartsWith("prompt: The content could not be processed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Validation422_IsPermanentWithFalsMessage()
    {
        await server.ResetAsync();
        var fal = Provider();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.SubmitAsync(Request(NewVideoId(), prompt: "x [fakefal:validation]"), Ct));

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal("value_error", ex.ErrorType);
        Assert.Equal("prompt: Input failed validation (injected by FakeFal).", ex.Message);
    }

    [Fact]
    public async Task Submit_RateLimited_IsRateLimitedWithRetryAfter_AndSentOnce()
    {
        await server.ResetAsync(new { faults = new { routes = new { submit = new { rateLimitRate = 1.0, retryAfterSeconds = 3 } } } });
        var fal = Provider();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.SubmitAsync(Request(NewVideoId()), Ct));
        var stats = await server.StatsAsync();

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
        Assert.Equal(1, Count(stats, "calls", "submit"));
        Assert.Equal(0, Count(stats, "submissions", "total"));
    }

    [Fact]
    public async Task Submit_ServerErrorWithoutAccepting_IsOutcomeUnknown_AndNeverRetriedByTransport()
    {
        // Nothing was created here, but a 5xx cannot tell that apart from a gateway's answer after acceptance.
        await server.ResetAsync(new { faults = new { routes = new { submit = new { serverErrorRate = 1.0 } } } });
        var fal = Provider();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.SubmitAsync(Request(NewVideoId()), Ct));
        var stats = await server.StatsAsync();

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal(FalErrorTypes.SubmitOutcomeUnknown, ex.ErrorType);
        Assert.Equal(1, Count(stats, "calls", "submit"));
        Assert.Equal(0, Count(stats, "submissions", "total"));
    }

    [Fact]
    public async Task Status_ServerErrors_AreRetriedByTransport_ThenTransient()
    {
        await server.ResetAsync();
        var fal = Provider();
        var handle = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        await server.ResetAsync(new { faults = new { routes = new { status = new { serverErrorRate = 1.0 } } } });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.GetStatusAsync(handle, Ct));
        var stats = await server.StatsAsync();

        Assert.Equal(ProviderErrorKind.Transient, ex.Kind);
        Assert.Equal(4, Count(stats, "calls", "status")); // 1 + MaxRetryAttempts (3)
    }

    [Fact]
    public async Task Status_RateLimited_IsRetriedAfterRetryAfter_ThenRateLimited()
    {
        await server.ResetAsync();
        var fal = Provider();
        var handle = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        await server.ResetAsync(new { faults = new { routes = new { status = new { rateLimitRate = 1.0, retryAfterSeconds = 1 } } } });

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.GetStatusAsync(handle, Ct));
        var stats = await server.StatsAsync();

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.Equal(4, Count(stats, "calls", "status"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.9), $"3 retries should each wait Retry-After (1 s); took {clock.Elapsed}.");
    }

    [Fact]
    public async Task Status_ExpiredRequest_IsNotFound_AndResultIsPermanentExpired()
    {
        await server.ResetAsync();
        var fal = Provider();
        var handle = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        await server.ExpireAsync(handle.RequestId);

        var status = await fal.GetStatusAsync(handle, Ct);
        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.GetResultAsync(handle, Ct));

        Assert.Equal(ProviderPhase.NotFound, status.Phase);
        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal(FalErrorTypes.Expired, ex.ErrorType);
    }

    [Fact]
    public async Task Cancel_QueuedRequest_IsAccepted_AndEndsCanceled()
    {
        await server.ResetAsync(new { queue = new { slots = 1, inProgress = "00:00:05" } });
        var fal = Provider();
        var running = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        var queued = await fal.SubmitAsync(Request(NewVideoId()), Ct);

        var accepted = await fal.CancelAsync(queued, Ct);
        var status = await fal.GetStatusAsync(queued, Ct);

        Assert.True(accepted);
        Assert.Equal(ProviderPhase.Failed, status.Phase);
        Assert.Equal("request_cancelled", status.ErrorType);
        Assert.True(await fal.CancelAsync(running, Ct));
    }

    [Fact]
    public async Task Cancel_CompletedRequest_HasNothingLeftToDo()
    {
        await server.ResetAsync();
        var fal = Provider();
        var handle = await fal.SubmitAsync(Request(NewVideoId()), Ct);
        await PollUntil(fal, handle, s => s.Phase == ProviderPhase.Completed, "completion");

        Assert.True(await fal.CancelAsync(handle, Ct));
    }

    [Theory]
    [InlineData("dropRate")]
    [InlineData("malformedJsonRate")]
    public async Task Submit_OutcomeUnknownAfterAccept_IsNeverResent_OneSubmissionPerVideo(string fault)
    {
        var submit = new JsonObject { [fault] = 1.0 };
        await server.ResetAsync(new JsonObject { ["faults"] = new JsonObject { ["routes"] = new JsonObject { ["submit"] = submit } } });
        var fal = Provider();
        var videoIds = Enumerable.Range(0, 5).Select(_ => NewVideoId()).ToList();

        foreach (var id in videoIds)
        {
            var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.SubmitAsync(Request(id), Ct));
            Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
            Assert.Equal(FalErrorTypes.SubmitOutcomeUnknown, ex.ErrorType);
        }

        var stats = await server.StatsAsync();
        Assert.All(videoIds, id => Assert.Equal(1, Count(stats, "submissions", "by_idempotency_key", id)));
        Assert.Equal(5, Count(stats, "submissions", "total"));
        Assert.Empty(stats["submissions"]!["duplicate_idempotency_keys"]!.AsArray());
    }

    [Fact]
    public async Task Submit_ConnectionRefused_NeverReachedFal_IsTransient()
    {
        var closed = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var fal = Provider(closed);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => fal.SubmitAsync(Request(NewVideoId()), Ct));

        Assert.Equal(ProviderErrorKind.Transient, ex.Kind);
        Assert.StartsWith("fal submit never reached fal", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_SignedByFakeFal_VerifiesAgainstItsJwks_AndTamperingIsRefused()
    {
        await server.ResetAsync();
        var services = Services();
        var fal = services.GetRequiredService<FalVideoProvider>();
        var verifier = services.GetRequiredService<FalWebhookVerifier>();
        var port = LoopbackPort.Free();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var deliveries = Channel.CreateUnbounded<(FalWebhookHeaders Headers, byte[] Body)>();
        _ = ReceiveAllAsync(listener, deliveries.Writer);

        var handle = await fal.SubmitAsync(Request(NewVideoId(), webhook: new Uri($"http://127.0.0.1:{port}/webhooks/fal")), Ct);
        var (headers, body) = await WebhookForAsync(handle.RequestId, deliveries.Reader);
        var valid = await verifier.VerifyAsync(headers, body, Ct);
        var tampered = await verifier.VerifyAsync(headers with { Timestamp = (long.Parse(headers.Timestamp!, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }, body, Ct);
        var replayed = await verifier.VerifyAsync(headers, body, Ct);

        Assert.Equal(FalWebhookOutcome.Valid, valid.Outcome);
        Assert.Equal(handle.RequestId, valid.RequestId);
        Assert.Equal(FalWebhookOutcome.Invalid, tampered.Outcome);
        Assert.Equal(FalWebhookOutcome.Invalid, replayed.Outcome);
    }

    [Fact]
    public void Options_WithoutKey_FailValidation()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:BaseUrl"] = "http://queue.example.com",
        }).Build();
        using var sp = new ServiceCollection().AddLogging().AddFalProvider(config).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<FalOptions>>().Value);

        if (Environment.GetEnvironmentVariable(FalOptions.KeyEnvironmentVariable) is not { Length: > 0 })
        {
            Assert.Contains(ex.Failures, f => f.Contains("Key", StringComparison.Ordinal));
        }

        Assert.Contains(ex.Failures, f => f.Contains("BaseUrl must use https", StringComparison.Ordinal));
    }

    [Fact]
    public void Registration_ExposesProviderAndModelSource()
    {
        var sp = Services();

        Assert.Contains(sp.GetServices<IVideoProvider>(), p => p.Name == "fal" && p.Serves(FalModelCatalog.Veo3));
        Assert.Contains(sp.GetServices<IModelSource>(), s => s.Models.Any(m => m.Id == FalModelCatalog.HunyuanVideo));
        Assert.False(sp.GetRequiredService<FalVideoProvider>().Serves("fal-ai/unknown-model"));
    }

    /// <summary>Answers every request on the listener with 200 and hands over its webhook headers and body, until the listener stops.</summary>
    private static async Task ReceiveAllAsync(HttpListener listener, ChannelWriter<(FalWebhookHeaders Headers, byte[] Body)> deliveries)
    {
        try
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                using var buffer = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(buffer);
                var h = context.Request.Headers;
                var headers = new FalWebhookHeaders(h[FalWebhookHeaders.RequestIdHeader], h[FalWebhookHeaders.UserIdHeader], h[FalWebhookHeaders.TimestampHeader], h[FalWebhookHeaders.SignatureHeader]);
                context.Response.StatusCode = 200;
                context.Response.Close();
                deliveries.TryWrite((headers, buffer.ToArray()));
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The test ended and disposed the listener.
        }
    }

    /// <summary>
    /// The first delivery for <paramref name="requestId"/> (a delivery meant for an earlier listener on a
    /// reused port is skipped). Fails with FakeFal's webhook counters and log if none comes within 60 s.
    /// </summary>
    private async Task<(FalWebhookHeaders Headers, byte[] Body)> WebhookForAsync(string requestId, ChannelReader<(FalWebhookHeaders Headers, byte[] Body)> deliveries)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var others = 0;
        try
        {
            await foreach (var delivery in deliveries.ReadAllAsync(timeout.Token))
            {
                if (delivery.Headers.RequestId == requestId)
                {
                    return delivery;
                }

                others++;
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            // Reported below.
        }

        var stats = await server.StatsAsync();
        Assert.Fail($"No webhook for {requestId} within 60 s ({others} for other requests). FakeFal stats: {stats["webhooks"]?.ToJsonString()}\nFakeFal output:\n{server.Output}");
        throw new UnreachableException();
    }

    public void Dispose()
    {
        foreach (var sp in _providers)
        {
            sp.Dispose();
        }
    }
}
