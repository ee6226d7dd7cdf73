using VideoGen.Server.Cli;
using VideoGen.Server.Hosting;

var command = CommandLine.Parse(args);
if (command.IsHelp)
{
    Console.WriteLine(Usage.Text);
    return 0;
}
try
{
    switch (command.Verb)
    {
        case "serve":
            await VideoGenHost.BuildWeb(command.Rest).RunAsync();
            return 0;
        case "worker":
            await VideoGenHost.BuildWorker(command.Rest, runWorkers: true).RunAsync();
            return 0;
        case "migrate":
            return await MigrateCommand.RunAsync(command.Rest);
        case "generate":
            return await GenerateCommand.RunAsync(command.Rest, Console.Out, Console.Error);
        case "users":
            return await UsersCommand.RunAsync(command.Rest, Console.Out, Console.Error);
        default:
            return Usage.Fail(Console.Error, command.Verb is null ? "No verb given." : $"Unknown verb '{command.Verb}'.");
    }
}
catch (Exception e) when (ConfigurationError.Is(e))
{
    return ConfigurationError.Report(e, Console.Error);
}

/// <summary>The <c>videogen</c> entry point (public for WebApplicationFactory).</summary>
public partial class Program;
