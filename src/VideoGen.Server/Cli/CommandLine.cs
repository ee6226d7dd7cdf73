namespace VideoGen.Server.Cli;

/// <summary>
/// The verb and the rest of the arguments. The verb is the first argument; it may also be given
/// as <c>--verb=serve</c> anywhere (how hosts that only pass <c>--key=value</c> settings, such as
/// test factories, choose it). Everything else goes to the verb: host verbs hand it to ASP.NET
/// configuration (so <c>--urls</c>, <c>--VideoGen:DataDir=…</c> work), <c>generate</c> parses its own.
/// </summary>
public sealed record CommandLine(string? Verb, string[] Rest)
{
    public static readonly IReadOnlyList<string> Verbs = ["serve", "worker", "generate", "migrate", "users"];

    public static CommandLine Parse(string[] args)
    {
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            return new CommandLine(args[0], args[1..]);
        }
        var verbArg = Array.FindIndex(args, a => a.StartsWith("--verb=", StringComparison.Ordinal));
        if (verbArg >= 0)
        {
            return new CommandLine(args[verbArg]["--verb=".Length..], args.Where((_, i) => i != verbArg).ToArray());
        }
        return new CommandLine(null, args);
    }

    public bool IsHelp => Verb is "help" || Rest.Any(a => a is "--help" or "-h" or "-?");
}
