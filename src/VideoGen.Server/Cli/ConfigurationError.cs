using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Cli;

/// <summary>Turns a configuration failure at start into one readable message and exit code 3.</summary>
public static class ConfigurationError
{
    public const int ExitCode = 3;

    public static int Report(Exception e, TextWriter error)
    {
        var messages = e is OptionsValidationException v ? v.Failures : [e.Message];
        error.WriteLine("Configuration error — VideoGen did not start:");
        foreach (var m in messages)
        {
            error.WriteLine("  - " + m);
        }
        error.WriteLine("Set keys in appsettings.json, as environment variables (VideoGen__Queue__Backend=…) or as --VideoGen:Queue:Backend=… arguments.");
        return ExitCode;
    }

    /// <summary>Validates every options class now (for verbs that do not start the host).</summary>
    public static void ValidateNow(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<VideoGenOptions>>().Value;
        _ = services.GetRequiredService<IOptions<QueueOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<WorkersOptions>>().Value;
    }
}
