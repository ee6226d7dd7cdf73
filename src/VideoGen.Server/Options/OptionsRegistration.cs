using Microsoft.Extensions.Options;
using VideoGen.Server.Security;

namespace VideoGen.Server.Options;

/// <summary>Binds and validates every options class at start, so bad configuration fails before anything runs.</summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddVideoGenOptions(this IServiceCollection services)
    {
        services.AddOptions<VideoGenOptions>().BindConfiguration(VideoGenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkersOptions>().BindConfiguration(WorkersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IValidateOptions<VideoGenOptions>, PublicBaseUrlValidator>();
        return services;
    }

    /// <summary>Reads a section for decisions taken while registering services (which backend to wire).</summary>
    public static T Peek<T>(this IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();
}
