using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Security;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Security;

/// <summary>
/// Open event streams are capped per client and in total (429 + problem details beyond), a closed stream gives its
/// slot back, and behind a trusted proxy the client is the forwarded address, not the proxy's.
/// </summary>
public sealed class EventStreamCapTests
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.9.9.9");

    [Fact]
    public async Task PerClientCap_RefusesBeyondIt_AndClosingAStreamFreesItsSlot()
    {
        await using var factory = Factory(perClient: 2, total: 100, trustProxy: false);
        using var http = factory.CreateClient();
        var id = (await http.CreateVideoAsync("a fox")).GetProperty("id").GetString()!;
        var limiter = factory.Services.GetRequiredService<EventStreamLimiter>();

        var first = await OpenAsync(http, id);
        var second = await OpenAsync(http, id);
        using (var third = await OpenAsync(http, id))
        {
            var problem = await SurfaceRequests.AssertProblemAsync(third, HttpStatusCode.TooManyRequests, "third stream of one client");
            Assert.Equal("Too many event streams", problem.GetProperty("title").GetString());
            Assert.Equal("10", SurfaceRequests.Header(third, "Retry-After"));
        }
        Assert.Equal(2, limiter.Open);

        first.Dispose();
        await Eventually.TrueAsync(() => limiter.Open == 1, "the closed stream's slot to be given back");
        using var again = await OpenAsync(http, id);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        second.Dispose();
        again.Dispose();
        await Eventually.TrueAsync(() => limiter.Open == 0, "every stream's slot to be given back");
    }

    [Fact]
    public async Task BehindTrustedProxy_EachForwardedClientHasItsOwnCap_AndTheTotalCapHolds()
    {
        await using var factory = Factory(perClient: 1, total: 3, trustProxy: true);
        using var http = ViaProxy(factory);
        var id = (await http.CreateVideoAsync("a fox")).GetProperty("id").GetString()!;

        using var a1 = await OpenAsync(http, id, forwardedFor: "203.0.113.1");
        using var a2 = await OpenAsync(http, id, forwardedFor: "203.0.113.1");
        using var b1 = await OpenAsync(http, id, forwardedFor: "203.0.113.2");
        using var c1 = await OpenAsync(http, id, forwardedFor: "203.0.113.3");
        using var d1 = await OpenAsync(http, id, forwardedFor: "203.0.113.4");

        Assert.Equal(HttpStatusCode.OK, a1.StatusCode);
        await SurfaceRequests.AssertProblemAsync(a2, HttpStatusCode.TooManyRequests, "client A's second stream");
        Assert.Equal(HttpStatusCode.OK, b1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, c1.StatusCode);
        await SurfaceRequests.AssertProblemAsync(d1, HttpStatusCode.TooManyRequests, "a fourth stream with the total cap at 3");
    }

    [Fact]
    public async Task WithoutTrustedProxy_ForwardedForIsIgnored()
    {
        await using var factory = Factory(perClient: 1, total: 100, trustProxy: false);
        using var http = ViaProxy(factory);
        var id = (await http.CreateVideoAsync("a fox")).GetProperty("id").GetString()!;

        using var a = await OpenAsync(http, id, forwardedFor: "203.0.113.1");
        using var b = await OpenAsync(http, id, forwardedFor: "203.0.113.2");

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        await SurfaceRequests.AssertProblemAsync(b, HttpStatusCode.TooManyRequests, "a second stream from the same (untrusted) proxy address");
    }

    [Fact]
    public async Task StreamOfUnknownVideo_HoldsNoSlot()
    {
        await using var factory = Factory(perClient: 1, total: 1, trustProxy: false);
        using var http = factory.CreateClient();
        var limiter = factory.Services.GetRequiredService<EventStreamLimiter>();

        for (var i = 0; i < 3; i++)
        {
            using var missing = await OpenAsync(http, "0000000000000000000000000000dead");
            await SurfaceRequests.AssertProblemAsync(missing, HttpStatusCode.NotFound, "stream of an unknown video");
        }

        await Eventually.TrueAsync(() => limiter.Open == 0, "the 404 answers to give their slots back");
    }

    private static VideoGenFactory Factory(int perClient, int total, bool trustProxy)
    {
        var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Events:MaxStreamsPerClient"] = perClient.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["VideoGen:Events:MaxStreams"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The proxy's clients arrive from beyond loopback: single-user mode serves them only with the opt-out.
        factory.Settings["VideoGen:Accounts:AllowSingleUserBeyondLoopback"] = "true";
        if (trustProxy)
        {
            factory.Settings["VideoGen:ForwardedHeaders:KnownProxies:0"] = Proxy.ToString();
        }
        return factory;
    }

    /// <summary>A client whose requests arrive from the proxy's address.</summary>
    private static HttpClient ViaProxy(VideoGenFactory factory)
    {
        _ = factory.Server;
        return new HttpClient(factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = Proxy)) { BaseAddress = new Uri("http://localhost") };
    }

    private static async Task<HttpResponseMessage> OpenAsync(HttpClient http, string id, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{id}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
    }
}
