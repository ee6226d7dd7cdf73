using Microsoft.Extensions.Options;
using VideoGen.Server.Hosting;

namespace VideoGen.Server.Tests.Security;

/// <summary>Surface settings are checked at start: a plain-http public address, an unparseable proxy or an impossible cap stops the process naming the key.</summary>
public sealed class SecurityConfigurationTests
{
    [Theory]
    [InlineData("VideoGen:PublicBaseUrl", "http://videos.example.com", "VideoGen:PublicBaseUrl must use https unless its host is loopback (got 'http://videos.example.com')")]
    [InlineData("VideoGen:PublicBaseUrl", "http://10.0.0.5:5080", "VideoGen:PublicBaseUrl must use https unless its host is loopback")]
    [InlineData("VideoGen:ForwardedHeaders:KnownProxies:0", "proxy.local", "VideoGen:ForwardedHeaders:KnownProxies has 'proxy.local', which is not an IP address")]
    [InlineData("VideoGen:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99", "VideoGen:ForwardedHeaders:KnownNetworks has '10.0.0.0/99', which is not a CIDR range")]
    [InlineData("VideoGen:ForwardedHeaders:ForwardLimit", "0", "VideoGen:ForwardedHeaders:ForwardLimit must be from 1 to 10.")]
    [InlineData("VideoGen:Events:MaxStreamsPerClient", "0", "VideoGen:Events:MaxStreamsPerClient must be from 1 to 100000.")]
    [InlineData("VideoGen:Events:MaxStreams", "0", "VideoGen:Events:MaxStreams must be from 1 to 1000000.")]
    public async Task Serve_InvalidSurfaceSetting_FailsNamingTheKey(string key, string value, string expected)
    {
        using var dir = new TempDir();
        await using var app = VideoGenHost.BuildWeb(["--urls=http://127.0.0.1:0", $"--VideoGen:DataDir={dir.Path}", $"--{key}={value}"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_PlainHttpPublicBaseUrl_FailsToo()
    {
        using var dir = new TempDir();
        using var host = VideoGenHost.BuildWorker([$"--VideoGen:DataDir={dir.Path}", "--VideoGen:PublicBaseUrl=http://videos.example.com"], runWorkers: false);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.Contains("VideoGen:PublicBaseUrl must use https", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://videos.example.com")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public async Task Serve_HttpsOrLoopbackPublicBaseUrl_Starts(string url)
    {
        using var dir = new TempDir();
        await using var app = VideoGenHost.BuildWeb(
            ["--urls=http://127.0.0.1:0", $"--VideoGen:DataDir={dir.Path}", $"--VideoGen:PublicBaseUrl={url}", "--VideoGen:Workers:Enabled=false",
             "--VideoGen:ForwardedHeaders:KnownProxies:0=127.0.0.1", "--VideoGen:ForwardedHeaders:KnownNetworks:0=10.0.0.0/8"]);

        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}
