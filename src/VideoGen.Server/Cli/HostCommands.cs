using System.CommandLine;
using VideoGen.Server.Hosting;

namespace VideoGen.Server.Cli;

/// <summary>
/// <c>serve</c>, <c>worker</c> and <c>migrate</c>: every argument they do not know is a configuration setting for the
/// host (<c>--urls URL</c>, <c>--VideoGen:DataDir=PATH</c>, any <c>--Key=value</c>), handed to ASP.NET configuration.
/// </summary>
internal static class HostCommands
{
    public const string SettingsHelp = """
        Any configuration key works as --Key=value (or --Key value), e.g.:
          --urls URL                                    where to listen (serve), default http://localhost:5080
          --VideoGen:DataDir=PATH                       SQLite files and media, default ./data
          --VideoGen:Queue:Backend=sqlite|redis         with redis: --ConnectionStrings:Redis=HOST:PORT
          --VideoGen:Database:Provider=sqlite|postgres  with postgres: --ConnectionStrings:Postgres=…
          --VideoGen:Workers:Enabled=true|false         run workers inside serve, default true
          --VideoGen:Workers:Concurrency=N              jobs at once per process, default 4
          --VideoGen:PublicBaseUrl=URL                  the address others reach this server at
          --VideoGen:Accounts:SignUp=open|invite-only|closed   who may sign up, default invite-only
        Listening beyond loopback needs an account first: videogen users add --admin EMAIL.
        All keys: docs/configuration.md.
        """;

    public static IEnumerable<Command> Build()
    {
        yield return Host("serve", "HTTP API, web page, API reference (/docs) and in-process workers (default http://localhost:5080)",
            async settings => { await VideoGenHost.BuildWeb(settings).RunAsync(); return ExitCodes.Succeeded; });
        yield return Host("worker", "Workers only, no HTTP listener (share the queue and database with a server)",
            async settings => { await VideoGenHost.BuildWorker(settings, runWorkers: true).RunAsync(); return ExitCodes.Succeeded; });
        yield return Host("migrate", "Apply the database migrations and exit (serve and worker also do this at start)",
            MigrateCommand.RunAsync);
    }

    private static Command Host(string name, string description, Func<string[], Task<int>> run)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction((parse, _) => run([.. parse.UnmatchedTokens]));
        return command;
    }
}
