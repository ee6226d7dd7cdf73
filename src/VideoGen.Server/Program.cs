using VideoGen.Server.Cli;

try
{
    return await VideoGenCli.RunAsync(args, CliConsole.System);
}
catch (Exception e) when (ConfigurationError.Is(e))
{
    return ConfigurationError.Report(e, Console.Error);
}

/// <summary>The <c>videogen</c> entry point (public for WebApplicationFactory).</summary>
public partial class Program;
