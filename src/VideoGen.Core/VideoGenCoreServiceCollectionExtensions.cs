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
    /// <summary>
    /// Adds VideoGen.Core. <paramref name="dataDir"/> holds media ({dataDir}/media) and the local
    /// renderer's work files ({dataDir}/local-provider). With <paramref name="configuration"/>,
    /// options bind from <c>VideoGen:Pipeline</c>, <c>VideoGen:Ingest</c>, <c>VideoGen:Ffmpeg</c>,
    /// <c>VideoGen:Providers:Local</c>, <c>VideoGen:Media</c> and <c>VideoGen:PublicBaseUrl</c>;
    /// all are validated at start. The host must register an <c>IVideoRepository</c> (scoped or
    /// singleton). <see cref="IProviderSignals"/> defaults to <see cref="InProcessProviderSignals"/>
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
            .PostConfigure(o =>
            {
                if (o.PublicBaseUrl is null && configuration?["VideoGen:PublicBaseUrl"] is { Length: > 0 } url)
                {
                    o.PublicBaseUrl = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : throw new OptionsValidationException(
                        "VideoGen:PublicBaseUrl", typeof(PipelineOptions), [$"VideoGen:PublicBaseUrl '{url}' is not an absolute URL; set it like https://videos.example.com."]);
                }
            })
            .Validate(o => o.MaxPollInterval >= o.PollInterval, "VideoGen:Pipeline:MaxPollInterval must be at least VideoGen:Pipeline:PollInterval.");

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
        services.TryAddSingleton<VideoJobHandler>();
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
