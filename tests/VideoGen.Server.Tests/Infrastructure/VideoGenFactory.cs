using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;

namespace VideoGen.Server.Tests.Infrastructure;

/// <summary>
/// The real server in memory (TestServer), on its own temp DataDir: real EF SQLite database,
/// real SQLite queue, real local preview renderer with short simulated latency. Workers run
/// in-process unless <see cref="WorkersEnabled"/> is false (then videos stay queued).
/// </summary>
public sealed class VideoGenFactory : WebApplicationFactory<Program>
{
    private readonly TempDir _dir = new();

    public string DataDir => _dir.Path;

    public bool WorkersEnabled { get; init; } = true;

    /// <summary>Extra configuration, applied last (as command-line settings).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>Test doubles, registered after the app's own services.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
        builder.UseSetting("verb", "serve");
        builder.UseSetting("VideoGen:DataDir", DataDir);
        builder.UseSetting("VideoGen:Workers:Enabled", WorkersEnabled ? "true" : "false");
        builder.UseSetting("VideoGen:Providers:Local:QueueDelay", "00:00:00.200");
        builder.UseSetting("VideoGen:Providers:Local:MinRenderTime", "00:00:00.500");
        builder.UseSetting("VideoGen:Pipeline:PollInterval", "00:00:00.100");
        builder.UseSetting("VideoGen:Pipeline:MaxPollInterval", "00:00:00.500");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>All Video rows, read straight from the database.</summary>
    public async Task<List<Video>> VideosInDatabaseAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Videos.AsNoTracking().ToListAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
