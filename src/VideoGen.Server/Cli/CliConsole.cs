using Spectre.Console;

namespace VideoGen.Server.Cli;

/// <summary>
/// Where a verb writes: results on <see cref="Out"/> (standard output, so they can be piped), messages and the live
/// display on <see cref="Error"/> (standard error). <see cref="Live"/> draws on standard error when it is a terminal.
/// </summary>
public sealed class CliConsole(TextWriter output, TextWriter error, Func<string, string?> environment)
{
    public static CliConsole System { get; } = new(Console.Out, Console.Error, global::System.Environment.GetEnvironmentVariable);

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public Func<string, string?> Environment { get; } = environment;

    /// <summary>Whether standard error is a terminal a live display can redraw (not redirected, not <c>TERM=dumb</c>).</summary>
    public bool IsInteractive => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected && Environment("TERM") != "dumb";

    /// <summary>A Spectre console over standard error.</summary>
    public IAnsiConsole Live => _live ??= AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Error),
        Interactive = IsInteractive ? InteractionSupport.Yes : InteractionSupport.No,
        Ansi = IsInteractive ? AnsiSupport.Detect : AnsiSupport.No,
    });

    private IAnsiConsole? _live;
}
