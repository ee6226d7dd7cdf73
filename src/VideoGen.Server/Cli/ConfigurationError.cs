using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Cli;

/// <summary>
/// Turns a configuration failure at start into one readable message and exit code 3. A configuration failure is an
/// <see cref="OptionsValidationException"/> (an unreadable value becomes one too, see <see cref="UnreadableConfiguration"/>),
/// or several of them at once: start-up validation gathers those of different options classes into an <see cref="AggregateException"/>.
/// </summary>
public static class ConfigurationError
{
    public const int ExitCode = 3;

    /// <summary>Whether <paramref name="e"/> says the configuration is invalid (and nothing else).</summary>
    public static bool Is(Exception e) => Failures(e).Count > 0;

    /// <summary>Prints every failure <paramref name="e"/> carries, one line each, and the ways to set a key.</summary>
    public static int Report(Exception e, TextWriter error)
    {
        error.WriteLine("Configuration error — VideoGen did not start:");
        foreach (var m in Failures(e))
        {
            error.WriteLine("  - " + m);
        }
        error.WriteLine("Set keys in appsettings.json, as environment variables (VideoGen__Queue__Backend=…) or as --VideoGen:Queue:Backend=… arguments.");
        return ExitCode;
    }

    private static IReadOnlyList<string> Failures(Exception e) => e switch
    {
        OptionsValidationException v => v.Failures.ToList(),
        AggregateException a when a.InnerExceptions.All(i => i is OptionsValidationException) =>
            a.InnerExceptions.Cast<OptionsValidationException>().SelectMany(v => v.Failures).ToList(),
        _ => [],
    };

    /// <summary>Validates every options class now (for verbs that do not start the host).</summary>
    public static void ValidateNow(IServiceProvider services)
    {
        _ = services.GetRequiredService<IOptions<VideoGenOptions>>().Value;
        _ = services.GetRequiredService<IOptions<QueueOptions>>().Value;
        _ = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<WorkersOptions>>().Value;
    }
}
