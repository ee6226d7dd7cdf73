using VideoGen.Server.Data;
using VideoGen.Server.Hosting;

namespace VideoGen.Server.Cli;

/// <summary><c>videogen migrate</c>: applies the app database migrations and exits (serve and worker also do this at start).</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        using var host = VideoGenHost.BuildWorker(args, runWorkers: false);
        ConfigurationError.ValidateNow(host.Services);
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        Console.Out.WriteLine("Database is up to date.");
        return 0;
    }
}
