using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoGen.Server.Hosting;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>A value the configuration binder cannot convert is a configuration error by type, naming the key.</summary>
public sealed class UnreadableConfigurationTests
{
    [Fact]
    public async Task Start_UnreadableValueOfCoreOptions_FailsAsAConfigurationError()
    {
        using var dir = new TempDir();
        using var host = VideoGenHost.BuildWorker([$"--VideoGen:DataDir={dir.Path}", "--VideoGen:Pipeline:PollInterval=abc"], runWorkers: true);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(["Failed to convert configuration value 'abc' at 'VideoGen:Pipeline:PollInterval' to type 'System.TimeSpan'."], error.Failures);
    }

    /// <summary>Settings read while the process is composed (which backend, whether workers run; logging) fail while it is built.</summary>
    [Theory]
    [InlineData("VideoGen:Queue:MaxAttempts", "Failed to convert configuration value 'abc' at 'VideoGen:Queue:MaxAttempts' to type 'System.Int32'.")]
    [InlineData("VideoGen:Database:SqliteBusyTimeout", "Failed to convert configuration value 'abc' at 'VideoGen:Database:SqliteBusyTimeout' to type 'System.TimeSpan'.")]
    [InlineData("VideoGen:Workers:Enabled", "Failed to convert configuration value 'abc' at 'VideoGen:Workers:Enabled' to type 'System.Boolean'.")]
    [InlineData("VideoGen:Workers:LeaseDuration", "Failed to convert configuration value 'abc' at 'VideoGen:Workers:LeaseDuration' to type 'System.TimeSpan'.")]
    [InlineData("Logging:LogLevel:Default", "Configuration value 'abc' is not supported.")]
    public void Build_UnreadableValue_FailsAsAConfigurationError(string key, string expected)
    {
        using var dir = new TempDir();

        var error = Assert.Throws<OptionsValidationException>(() => VideoGenHost.BuildWeb([$"--VideoGen:DataDir={dir.Path}", $"--{key}=abc"]));

        Assert.Equal([expected], error.Failures);
    }
}
