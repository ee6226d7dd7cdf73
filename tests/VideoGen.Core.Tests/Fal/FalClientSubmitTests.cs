using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

/// <summary>Submit's resend rules and the key's confinement, with a scripted HTTP handler.</summary>
public sealed class FalClientSubmitTests
{
    private const string Secret = "key-id:very-secret-part";

    /// <summary>Answers each request with the next step; like a transport, it first writes the body (unless <see cref="FailBeforeBody"/>).</summary>
    private sealed class Scripted(params Func<HttpRequestMessage, HttpResponseMessage>[] steps) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Sent { get; } = [];

        /// <summary>An error the transport hits before it writes any of the body (e.g. a stale pooled connection).</summary>
        public Exception? FailBeforeBody { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add(request);
            if (FailBeforeBody is { } failure)
            {
                throw failure;
            }
            if (request.Content is { } content)
            {
                await content.CopyToAsync(Stream.Null, cancellationToken);
            }
            return steps[Math.Min(Sent.Count - 1, steps.Length - 1)](request);
        }
    }

    private static HttpResponseMessage Accepted(HttpRequestMessage _) => new(HttpStatusCode.OK)
    {
        Content = new StringContent("""{"request_id":"req-1","status_url":"https://queue.fal.run/fal-ai/x/requests/req-1/status","response_url":"https://queue.fal.run/fal-ai/x/requests/req-1","cancel_url":"https://queue.fal.run/fal-ai/x/requests/req-1/cancel"}""", Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Dropped(HttpRequestMessage _) =>
        throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");

    private static HttpResponseMessage Refused(HttpRequestMessage _) =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");

    private static (FalClient Client, Scripted Handler) Client(bool dedupe, params Func<HttpRequestMessage, HttpResponseMessage>[] steps)
    {
        var handler = new Scripted(steps);
        var options = new FalOptions { Key = Secret, SubmitDeduplicatesOnIdempotencyKey = dedupe, RetryBaseDelay = TimeSpan.Zero, SubmitAttempts = 3 };
        return (new FalClient(new HttpClient(handler), new StaticOptionsMonitor<FalOptions>(options), new FakeTimeProvider()), handler);
    }

    private static Task<FalSubmitResponse> Submit(FalClient client) =>
        client.SubmitAsync("fal-ai/x", new JsonObject { ["prompt"] = "p" }, "vid-1", null, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Submit_SendsKeyAndIdempotencyKey_ToBaseUrlModelPath()
    {
        var (client, handler) = Client(false, Accepted);

        var response = await Submit(client);

        Assert.Equal("req-1", response.RequestId);
        var sent = Assert.Single(handler.Sent);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal("https://queue.fal.run/fal-ai/x", sent.RequestUri!.ToString());
        Assert.Equal("Key " + Secret, sent.Headers.Authorization!.ToString());
        Assert.Equal("vid-1", Assert.Single(sent.Headers.GetValues(FalClient.IdempotencyHeader)));
    }

    [Fact]
    public void SubmitUrl_WithWebhook_AddsEscapedFalWebhookParameter()
    {
        var url = FalClient.SubmitUrl(new Uri("https://queue.fal.run"), "fal-ai/kling-video/v2.1/standard/text-to-video", new Uri("https://app.example.com/webhooks/fal"));

        Assert.Equal("https://queue.fal.run/fal-ai/kling-video/v2.1/standard/text-to-video?fal_webhook=https%3A%2F%2Fapp.example.com%2Fwebhooks%2Ffal", url.AbsoluteUri);
    }

    [Fact]
    public async Task Submit_DroppedAfterSending_WithoutDedupe_IsNotResent_AndPermanent()
    {
        var (client, handler) = Client(false, Dropped, Accepted);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Single(handler.Sent);
        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal(FalErrorTypes.SubmitOutcomeUnknown, ex.ErrorType);
    }

    [Fact]
    public async Task Submit_DroppedAfterSending_WithDedupe_IsResentWithSameKey()
    {
        var (client, handler) = Client(true, Dropped, Accepted);

        var response = await Submit(client);

        Assert.Equal("req-1", response.RequestId);
        Assert.Equal(2, handler.Sent.Count);
        Assert.All(handler.Sent, r => Assert.Equal("vid-1", Assert.Single(r.Headers.GetValues(FalClient.IdempotencyHeader))));
    }

    [Fact]
    public async Task Submit_FailedBeforeAnyByteOfItsBody_IsNotSent_ResentAndThenTransient()
    {
        // Not a connect error, so the exception alone would not prove "not sent"; the body was never started.
        var handler = new Scripted(Accepted) { FailBeforeBody = new HttpRequestException(HttpRequestError.Unknown, "connection reset before the request was written") };
        var options = new FalOptions { Key = Secret, RetryBaseDelay = TimeSpan.Zero, SubmitAttempts = 3 };
        var client = new FalClient(new HttpClient(handler), new StaticOptionsMonitor<FalOptions>(options), new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Equal(ProviderErrorKind.Transient, error.Kind);
        Assert.NotEqual(FalErrorTypes.SubmitOutcomeUnknown, error.ErrorType);
        Assert.Equal(3, handler.Sent.Count);
    }

    [Fact]
    public async Task Submit_SameErrorAfterItsBodyWasWritten_IsOutcomeUnknown_AndNotResent()
    {
        var (client, handler) = Client(false, _ => throw new HttpRequestException(HttpRequestError.Unknown, "connection reset after the request was written"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Equal(FalErrorTypes.SubmitOutcomeUnknown, error.ErrorType);
        Assert.Single(handler.Sent);
    }

    [Fact]
    public async Task Submit_ConnectFailure_IsResent_BecauseNothingLeft()
    {
        var (client, handler) = Client(false, Refused, Accepted);

        var response = await Submit(client);

        Assert.Equal("req-1", response.RequestId);
        Assert.Equal(2, handler.Sent.Count);
    }

    [Fact]
    public async Task Submit_ConnectFailureEveryTime_IsTransientAfterBoundedAttempts()
    {
        var (client, handler) = Client(false, Refused);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Equal(3, handler.Sent.Count);
        Assert.Equal(ProviderErrorKind.Transient, ex.Kind);
    }

    [Fact]
    public async Task Submit_GatewayTimeout_IsOutcomeUnknown()
    {
        var (client, handler) = Client(false, _ => new HttpResponseMessage(HttpStatusCode.GatewayTimeout));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Single(handler.Sent);
        Assert.Equal(FalErrorTypes.SubmitOutcomeUnknown, ex.ErrorType);
    }

    private static HttpResponseMessage Answer(int status, string? mediaType, string body) => new((HttpStatusCode)status)
    {
        Content = mediaType is null ? new ByteArrayContent(Encoding.UTF8.GetBytes(body)) : new StringContent(body, Encoding.UTF8, mediaType),
    };

    [Theory]
    [InlineData(500, "application/json", """{"detail":"Internal Server Error"}""")]
    [InlineData(502, "application/json", """{"detail":"Upstream service unavailable."}""")]
    [InlineData(503, "application/json", """{"detail":"Upstream service unavailable."}""")]
    [InlineData(504, null, "")]
    [InlineData(520, "text/html", "<html><body>520: Web server is returning an unknown error</body></html>")]
    [InlineData(521, "text/html", "<html>521</html>")]
    [InlineData(522, "text/html", "<html>522</html>")]
    [InlineData(523, "text/html", "<html>523</html>")]
    [InlineData(524, "text/html", "<html>524: A timeout occurred</html>")]
    [InlineData(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>")]
    [InlineData(403, "text/html", "<html>Access denied by the firewall</html>")]
    [InlineData(429, null, "")]
    [InlineData(400, "application/json", """{"message":"not fal's shape"}""")]
    [InlineData(301, "text/html", "<html>Moved</html>")]
    public async Task Submit_AnswerThatIsNotFalsOwnRefusal_IsOutcomeUnknown_AndNotResent(int status, string? mediaType, string body)
    {
        var (client, handler) = Client(false, _ => Answer(status, mediaType, body), Accepted);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Single(handler.Sent);
        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal(FalErrorTypes.SubmitOutcomeUnknown, ex.ErrorType);
    }

    [Theory]
    [InlineData(422, """{"detail":[{"loc":["body","prompt"],"msg":"too long","type":"value_error"}]}""", ProviderErrorKind.Permanent, "value_error")]
    [InlineData(400, """{"detail":"Bad request"}""", ProviderErrorKind.Permanent, "http_400")]
    [InlineData(401, """{"detail":"Unauthorized"}""", ProviderErrorKind.Permanent, FalErrorTypes.Unauthorized)]
    [InlineData(429, """{"detail":"Too many requests; slow down."}""", ProviderErrorKind.RateLimited, FalErrorTypes.RateLimited)]
    [InlineData(422, """{"error":"flagged","error_type":"content_policy_violation"}""", ProviderErrorKind.Permanent, "content_policy_violation")]
    public async Task Submit_FalsOwnJsonRefusal_IsADefiniteRefusal_AndNotResent(int status, string body, ProviderErrorKind kind, string errorType)
    {
        var (client, handler) = Client(false, _ => Answer(status, "application/json", body), Accepted);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Single(handler.Sent);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(errorType, ex.ErrorType);
    }

    [Fact]
    public async Task Submit_KeyRejected_MessageNeverContainsKey()
    {
        var (client, _) = Client(false, _ => new HttpResponseMessage(HttpStatusCode.Unauthorized)
        {
            Content = new StringContent($$"""{"detail":"Invalid key {{Secret}}"}""", Encoding.UTF8, "application/json"),
        });

        var ex = await Assert.ThrowsAsync<ProviderException>(() => Submit(client));

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal(FalErrorTypes.Unauthorized, ex.ErrorType);
        Assert.DoesNotContain("secret", ex.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("https://evil.example.com/fal-ai/x/requests/req-1/status")]
    [InlineData("http://queue.fal.run/fal-ai/x/requests/req-1/status")]
    [InlineData("not a url")]
    public async Task Status_UrlOutsideFal_IsRefused_WithoutSendingTheKey(string statusUrl)
    {
        var (client, handler) = Client(false, Accepted);

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetStatusAsync(statusUrl, TestContext.Current.CancellationToken));

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Empty(handler.Sent);
    }

    [Fact]
    public async Task Status_UsesReturnedUrl_WithLogsParameter()
    {
        var (client, handler) = Client(false, _ => new HttpResponseMessage(HttpStatusCode.Accepted)
        {
            Content = new StringContent("""{"status":"IN_QUEUE","queue_position":3}""", Encoding.UTF8, "application/json"),
        });

        var status = await client.GetStatusAsync("https://queue.fal.run/fal-ai/x/requests/req-1/status", TestContext.Current.CancellationToken);

        Assert.Equal(3, status!.QueuePosition);
        Assert.Equal("https://queue.fal.run/fal-ai/x/requests/req-1/status?logs=1", Assert.Single(handler.Sent).RequestUri!.ToString());
    }
}
