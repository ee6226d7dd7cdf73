using Microsoft.Extensions.DependencyInjection.Extensions;
using VideoGen.Server.Options;

namespace VideoGen.Server.Housekeeping;

/// <summary>
/// Bounded resources: upload limits, the media sweeper, video deletion and the disk-space guard (with its readiness check).
/// <c>VideoGen:Media</c> (<see cref="Core.Media.MediaOptions"/>) is bound by VideoGen.Core.
/// </summary>
internal static class HousekeepingRegistration
{
    public static IServiceCollection AddMediaHousekeeping(this IServiceCollection services)
    {
        services.AddOptions<UploadsOptions>().BindConfiguration(UploadsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DiskOptions>().BindConfiguration(DiskOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IUploadUsage, OwnerUploadUsage>();
        services.AddSingleton<UploadLimits>();
        services.AddSingleton<VideoDeletion>();
        services.AddSingleton<DiskSpaceGuard>();
        services.AddSingleton<RequiresDiskSpace>();
        services.AddSingleton<MediaSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<MediaSweeper>());
        services.AddHealthChecks().AddCheck<DiskSpaceHealthCheck>("disk", tags: [Hosting.HealthRegistration.ReadyTag]);
        return services;
    }
}
