using Microsoft.Extensions.Options;
using VideoGen.Server.Cli;
using VideoGen.Server.Options;

namespace VideoGen.Server.Tests.Cli;

/// <summary>What <c>videogen</c> reports as a configuration error (exit 3) is decided by type, never by message text.</summary>
public sealed class ConfigurationErrorTests
{
    [Fact]
    public void Is_OptionsValidationFailure_IsAConfigurationError()
    {
        Assert.True(ConfigurationError.Is(Failure("VideoGen:Queue:Name is bad.")));
    }

    [Fact]
    public void Is_SeveralOptionsValidationFailuresAtOnce_IsAConfigurationError()
    {
        Assert.True(ConfigurationError.Is(new AggregateException(Failure("a"), Failure("b"))));
    }

    [Fact]
    public void Is_OtherExceptionMentioningConfiguration_IsNotAConfigurationError()
    {
        Assert.False(ConfigurationError.Is(new InvalidOperationException("Failed to convert configuration value 'abc'.")));
        Assert.False(ConfigurationError.Is(new AggregateException(Failure("a"), new InvalidOperationException("configuration"))));
        Assert.False(ConfigurationError.Is(new AggregateException()));
    }

    [Fact]
    public void Report_PrintsEveryFailureOnItsOwnLine_AndReturnsExitCode3()
    {
        using var error = new StringWriter();

        var code = ConfigurationError.Report(new AggregateException(Failure("first", "second"), Failure("third")), error);

        Assert.Equal(3, code);
        Assert.Equal(
            [
                "Configuration error — VideoGen did not start:",
                "  - first",
                "  - second",
                "  - third",
                "Set keys in appsettings.json, as environment variables (VideoGen__Queue__Backend=…) or as --VideoGen:Queue:Backend=… arguments.",
            ],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    private static OptionsValidationException Failure(params string[] failures) => new("", typeof(QueueOptions), failures);
}
