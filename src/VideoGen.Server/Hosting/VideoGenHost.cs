using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using VideoGen.Server.Accounts;
using VideoGen.Server.Apis;
using VideoGen.Server.Errors;
using VideoGen.Server.Events;
using VideoGen.Server.Limits;
using VideoGen.Server.Options;
using VideoGen.Server.Security;

namespace VideoGen.Server.Hosting;

/// <summary>Builds the processes behind the CLI verbs: the web server (<c>serve</c>) and the worker-only host (<c>worker</c>, <c>migrate</c>).</summary>
public static class VideoGenHost
{
    public const string DefaultUrls = "http://localhost:5080";

    public static WebApplication BuildWeb(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        AddBaseDirectorySettings(builder.Configuration);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }
        var workersEnabled = builder.Configuration.Peek<WorkersOptions>(WorkersOptions.Section).Enabled;
        builder.AddVideoGen(runWorkers: workersEnabled);
        builder.Services.AddAccountsWeb();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddHostedService<ReadyBanner>();
        if (CoreWiring.FalEnabled(builder.Configuration))
        {
            builder.Services.AddHostedService<FalWebhookSenderWarning>();
        }
        builder.Services.AddVideoGenSecurity(builder.Configuration);
        builder.Services.AddVideoGenOpenApi();
        builder.Services.AddVideoEvents();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseVideoGenSecurity();
        var webRoot = WebRoot(app.Environment);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = webRoot });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = webRoot });
        app.UseAccounts();
        app.MapAccountApi();
        app.MapApiKeysApi();
        app.MapInvitationsApi();
        app.MapVideosApi();
        app.MapModelsApi();
        app.MapMediaApi();
        app.MapUploadsApi();
        app.MapAdminApi();
        app.MapLimitsApi();
        if (CoreWiring.FalEnabled(app.Configuration))
        {
            app.MapFalWebhooks();
        }
        app.MapVideoGenHealthChecks();
        app.MapVideoGenOpenApi();
        return app;
    }

    /// <summary>A host without an HTTP listener: workers (when <paramref name="runWorkers"/>), reconciler, migrations.</summary>
    public static IHost BuildWorker(string[] args, bool runWorkers)
    {
        var builder = Host.CreateApplicationBuilder(args);
        AddBaseDirectorySettings(builder.Configuration);
        builder.AddVideoGen(runWorkers);
        if (runWorkers)
        {
            builder.Services.AddHostedService<ReadyBanner>();
        }
        return builder.Build();
    }

    /// <summary>
    /// appsettings.json next to the executable, as the lowest-priority source: the app behaves the
    /// same from any working directory, and the working directory's appsettings, the environment and
    /// the command line still override it.
    /// </summary>
    private static void AddBaseDirectorySettings(IConfigurationBuilder configuration)
    {
        var baseDir = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(baseDir, "appsettings.json")))
        {
            var source = new JsonConfigurationSource { Path = "appsettings.json", Optional = true, FileProvider = new PhysicalFileProvider(baseDir) };
            configuration.Sources.Insert(0, source);
        }
    }

    /// <summary>The page's files: next to the executable when built, else the project's wwwroot.</summary>
    private static IFileProvider WebRoot(IWebHostEnvironment env)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(beside) ? new PhysicalFileProvider(beside) : env.WebRootFileProvider;
    }
}
