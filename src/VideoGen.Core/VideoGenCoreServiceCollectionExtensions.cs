using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Core.Models;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Local;

namespace VideoGen.Core;

/// <summary>Registers the video domain: catalog, validator, local provider, media store, ingestor, pipeline, job handler.</summary>
public static class VideoGenCoreServiceCollectionExtensions
{
    /// <summary>The file in DataDir holding the generated webhook secret when none is configured (<see cref="WebhookOptions"/>).</summary>
    public const string WebhookSecretFileName = "webhook-secret";

    /// <summary>
    /// Adds VideoGen.Core. <paramref name="dataDir"/> holds media ({dataDir}/media) and the local
    /// renderer's work files ({dataDir}/local-provider). With <paramref name="configuration"/>,
    /// options bind from <c>VideoGen:Pipeline</c>, <c>VideoGen:Ingest</c>, <c>VideoGen:Ffmpeg</c>,
    /// <c>VideoGen:Providers:Local</c>, <c>VideoGen:Media</c> (<see cref="MediaOptions"/>), <c>VideoGen:Webhooks</c> and <c>VideoGen:PublicBaseUrl</c>
    /// (<see cref="PublicUrlOptions"/>); all are validated at start. The host must register an
    /// <c>IVideoRepository</c> (singleton, or scoped: a job's scope is then its own) and an <c>IVideoJobs</c>
    /// (the videos queue). <see cref="IProviderSignals"/> defaults to <see cref="InProcessProviderSignals"/>
    /// unless one is registered before this call; so is the media store (a folder unless another
    /// <see cref="IMediaStore"/>, such as the S3 one, is registered first). Other providers (fal) add their own
    /// <see cref="IVideoProvider"/> and <see cref="IModelSource"/>; the registry and catalog pick them up.
    /// </summary>
    public static IServiceCollection AddVideoGenCore(this IServiceCollection services, string dataDir, IConfiguration? configuration = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDir);
        var root = Path.GetFullPath(dataDir);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();

        Options<FfmpegOptions>(services, configuration, FfmpegOptions.Section);
        Options<IngestOptions>(services, configuration, IngestOptions.Section);
        Options<LocalProviderOptions>(services, configuration, LocalProviderOptions.Section)
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.WorkDir))
                {
                    o.WorkDir = Path.Combine(root, "local-provider");
                }
            });
        Options<PipelineOptions>(services, configuration, PipelineOptions.Section)
            .Validate(o => o.MaxPollInterval >= o.PollInterval, "VideoGen:Pipeline:MaxPollInterval must be at least VideoGen:Pipeline:PollInterval.");
        Options<PublicUrlOptions>(services, configuration, PublicUrlOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PublicUrlOptions>, PublicUrlOptions.Validator>());
        Options<WebhookOptions>(services, configuration, WebhookOptions.Section);
        services.TryAddSingleton(sp => new WebhookTokens(sp.GetRequiredService<IOptions<WebhookOptions>>(), Path.Combine(root, WebhookSecretFileName)));

        Options<MediaOptions>(services, configuration, MediaOptions.Section);
        var mediaRoot = configuration?["VideoGen:Media:Root"] is { Length: > 0 } configured ? Path.GetFullPath(configured) : Path.Combine(root, "media");
        services.TryAddSingleton<IMediaStore>(_ => new LocalFolderMediaStore(mediaRoot));
        services.TryAddSingleton<ProcessRunner>();
        services.TryAddSingleton<MediaTools>();
        services.TryAddSingleton<VideoIngestor>();

        services.AddSingleton<IModelSource, LocalModelSource>();
        services.TryAddSingleton<ModelCatalog>();
        services.TryAddSingleton<VideoRequestValidator>();

        services.TryAddSingleton<IProviderSignals, InProcessProviderSignals>();
        services.TryAddSingleton<LocalPreviewProvider>();
        services.AddSingleton<IVideoProvider>(sp => sp.GetRequiredService<LocalPreviewProvider>());
        services.TryAddSingleton<VideoProviderRegistry>();

        services.TryAddSingleton(sp => new SubmitThrottle(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.MaxConcurrentSubmits));
        services.TryAddScoped<VideoPipeline>();
        services.TryAddScoped<LostSubmitReattacher>();
        services.TryAddScoped<ProviderWebhooks>();
        // Scoped, like everything a job runs: the queue worker opens one scope per job and resolves the handler from it.
        services.TryAddScoped<VideoJobHandler>();
        return services;
    }

    private static OptionsBuilder<T> Options<T>(IServiceCollection services, IConfiguration? configuration, string section)
        where T : class
    {
        var builder = services.AddOptions<T>();
        if (configuration is not null)
        {
            builder.Bind(configuration.GetSection(section));
        }
        return builder.ValidateDataAnnotations().ValidateOnStart();
    }
}
