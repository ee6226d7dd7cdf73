using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace VideoGen.Server.Cli;

/// <summary>
/// The <c>videogen</c> command line (System.CommandLine): host verbs (<c>serve</c>, <c>worker</c>, <c>migrate</c>,
/// <c>users</c>) and client verbs over <c>VideoGen.Client</c> (<c>generate</c>, <c>status</c>, <c>list</c>,
/// <c>watch</c>, <c>cancel</c>, <c>delete</c>, <c>download</c>, <c>models</c>). <c>--help</c> on every verb; usage
/// errors exit 2 with a one-line message; <see cref="ExitCodes"/> lists the rest.
/// </summary>
public static class VideoGenCli
{
    public static readonly IReadOnlyList<string> HostVerbs = ["serve", "worker", "migrate", "users"];

    public static Command Build(CliConsole console)
    {
        // Named here, not after the running executable, so help reads "videogen" however it is started (dotnet videogen.dll, a test host).
        var root = new Command("videogen", "VideoGen: self-hosted AI video generation. Run a server (serve), or talk to one (generate, list, …).")
        {
            new HelpOption { Recursive = true },
            new VersionOption(),
        };
        foreach (var command in HostCommands.Build())
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(UsersCommand.Build(console));
        root.Subcommands.Add(GenerateCommand.Build(console));
        foreach (var command in VideoCommands.Build(console))
        {
            root.Subcommands.Add(command);
        }
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Action = new HelpWithNotes((HelpAction)help.Action!);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken ct = default)
    {
        args = Normalize(args);
        var root = Build(console);
        // No response files: a prompt may well start with '@'.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Exceptions reach Program (configuration errors have their own exit code); hosts handle their own signals.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = parse.CommandResult.Command.Name is "serve" or "worker" ? null : TimeSpan.FromSeconds(2),
        };
        if (args.Length == 0)
        {
            await console.Error.WriteLineAsync("error: No verb given.");
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = console.Error, Error = console.Error }, ct);
            return ExitCodes.Usage;
        }
        if (parse.Errors.Count > 0 && parse.Action is not HelpWithNotes)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync("error: " + error.Message);
            }
            var verb = parse.CommandResult.Command == root ? "" : parse.CommandResult.Command.Name + " ";
            await console.Error.WriteLineAsync($"Run 'videogen {verb}--help' for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(invocation, ct);
    }

    /// <summary>
    /// <c>help VERB</c> means <c>VERB --help</c>; <c>--verb=serve</c> anywhere (how hosts that only pass
    /// <c>--key=value</c> settings, such as test factories, choose the verb) means <c>serve</c> first.
    /// </summary>
    internal static string[] Normalize(string[] args)
    {
        var verbArg = Array.FindIndex(args, a => a.StartsWith("--verb=", StringComparison.Ordinal));
        if (verbArg >= 0)
        {
            args = [args[verbArg]["--verb=".Length..], .. args.Where((_, i) => i != verbArg)];
        }
        if (args.Length > 0 && args[0] == "help")
        {
            args = [.. args[1..], "--help"];
        }
        return args;
    }

    /// <summary>The library's help, then (on the root) the exit codes and where the client verbs find their server.</summary>
    private sealed class HelpWithNotes(HelpAction inner) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            inner.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var command = parseResult.CommandResult.Command;
            if (command.Parents.FirstOrDefault() is null)
            {
                output.WriteLine("Client verbs talk to --server URL (or $VIDEOGEN_SERVER, default http://localhost:5080) with --api-key KEY (or $VIDEOGEN_API_KEY).");
                output.WriteLine();
                output.WriteLine("Exit codes:");
                output.WriteLine(ExitCodes.Table);
            }
            else if (command.Name is "serve" or "worker" or "migrate" or "users" || command.Parents.OfType<Command>().Any(p => p.Name == "users"))
            {
                output.WriteLine(HostCommands.SettingsHelp);
            }
            else
            {
                output.WriteLine("Exit codes: videogen --help.");
            }
            return ExitCodes.Succeeded;
        }
    }
}
