using System.Runtime.CompilerServices;
using VideoGen.Core;
using VideoGen.Core.Media;
using VideoGen.Core.Providers.Fal;
using VideoGen.Media.S3;
using VideoGen.Server.Options;

namespace VideoGen.Server.Hosting;

/// <summary>
/// The one place that calls VideoGen.Core's registrations: the domain, the S3 media store when
/// <c>VideoGen:Media:Store=s3</c>, and fal when a key is configured.
/// </summary>
internal static class CoreWiring
{
    public static void AddCore(IServiceCollection services, IConfiguration configuration, string dataDir)
    {
        if (string.Equals(configuration.Peek<MediaOptions>(MediaOptions.Section).Store, MediaOptions.S3, StringComparison.Ordinal))
        {
            AddS3Media(services, configuration, dataDir);
        }
        services.AddVideoGenCore(dataDir, configuration);
        if (configuration.HasFalKey())
        {
            services.AddFalProvider(configuration);
        }
    }

    // Its own method, never inlined: the AWS SDK assemblies load only when this runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddS3Media(IServiceCollection services, IConfiguration configuration, string dataDir) =>
        services.AddS3MediaStore(configuration, dataDir);

    /// <summary>Whether the fal provider (and so its webhook endpoint) is part of this process.</summary>
    public static bool FalEnabled(IConfiguration configuration) => configuration.HasFalKey();
}
