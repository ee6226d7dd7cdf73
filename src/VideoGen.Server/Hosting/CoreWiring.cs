using VideoGen.Core;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Server.Hosting;

/// <summary>The one place that calls VideoGen.Core's registrations: the domain, and fal when a key is configured.</summary>
internal static class CoreWiring
{
    public static void AddCore(IServiceCollection services, IConfiguration configuration, string dataDir)
    {
        services.AddVideoGenCore(dataDir, configuration);
        if (configuration.HasFalKey())
        {
            services.AddFalProvider(configuration);
        }
    }

    /// <summary>Whether the fal provider (and so its webhook endpoint) is part of this process.</summary>
    public static bool FalEnabled(IConfiguration configuration) => configuration.HasFalKey();
}
