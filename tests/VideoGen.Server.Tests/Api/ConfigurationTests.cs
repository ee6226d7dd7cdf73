using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoGen.Server.Hosting;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>Invalid configuration stops a VideoGen process at start with a message naming the key and the fix.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("VideoGen:Queue:Backend", "redis", "VideoGen:Queue:Backend is 'redis' but ConnectionStrings:Redis is empty; set ConnectionStrings:Redis")]
    [InlineData("VideoGen:Queue:Backend", "kafka", "VideoGen:Queue:Backend is 'kafka'; set it to 'sqlite'")]
    [InlineData("VideoGen:Database:Provider", "postgres", "VideoGen:Database:Provider is 'postgres' but ConnectionStrings:Postgres is empty; set ConnectionStrings:Postgres")]
    [InlineData("VideoGen:Database:Provider", "mysql", "VideoGen:Database:Provider is 'mysql'; set it to 'sqlite'")]
    [InlineData("VideoGen:Workers:Concurrency", "0", "VideoGen:Workers:Concurrency must be from 1 to 10000.")]
    [InlineData("VideoGen:PublicBaseUrl", "not a url", "VideoGen:PublicBaseUrl must be an absolute http(s) URL")]
    [InlineData("VideoGen:DataDir", "", "VideoGen:DataDir must not be empty")]
    public async Task Start_InvalidSetting_FailsNamingTheKey(string key, string value, string expected)
    {
        using var dir = new TempDir();
        using var host = VideoGenHost.BuildWorker([$"--VideoGen:DataDir={dir.Path}", $"--{key}={value}"], runWorkers: true);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
