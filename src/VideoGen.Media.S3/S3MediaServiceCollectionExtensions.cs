using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;

namespace VideoGen.Media.S3;

/// <summary>Registers <see cref="S3MediaStore"/> as the <see cref="IMediaStore"/>.</summary>
public static class S3MediaServiceCollectionExtensions
{
    /// <summary>
    /// Adds the S3 media store, options bound from <c>VideoGen:Media:S3</c> and validated at start.
    /// Call before <c>AddVideoGenCore</c> (its local folder store is only a TryAdd).
    /// <paramref name="dataDir"/> holds the temporary files unless <c>TempDir</c> is set.
    /// </summary>
    public static IServiceCollection AddS3MediaStore(this IServiceCollection services, IConfiguration configuration, string dataDir)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<S3MediaOptions>()
            .Bind(configuration.GetSection(S3MediaOptions.Section))
            .PostConfigure(o => o.TempDir = Path.GetFullPath(string.IsNullOrWhiteSpace(o.TempDir) ? Path.Combine(dataDir, "tmp", "media") : o.TempDir))
            .ValidateDataAnnotations()
            .Validate(o => o.Endpoint is null || o.Endpoint.Scheme == Uri.UriSchemeHttp || o.Endpoint.Scheme == Uri.UriSchemeHttps,
                "VideoGen:Media:S3:Endpoint must be an absolute http or https URL, like http://minio:9000.")
            .ValidateOnStart();
        services.TryAddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<S3MediaOptions>>().Value));
        services.AddSingleton<S3MediaStore>();
        services.AddSingleton<IMediaStore>(sp => sp.GetRequiredService<S3MediaStore>());
        return services;
    }

    /// <summary>A client with the default AWS credential chain, for AWS or (with an endpoint) any S3-compatible store.</summary>
    public static AmazonS3Client CreateClient(S3MediaOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksums only where S3 requires them: compatible stores differ in the newer
            // (trailer and CRC) checksum support, and TLS plus Content-Length already guard a PUT.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.AbsoluteUri;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        return new AmazonS3Client(config);
    }
}
