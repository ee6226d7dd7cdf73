using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VideoGen.Server.Security;

namespace VideoGen.Server.Options;

/// <summary>Binds and validates every options class at start, so bad configuration fails before anything runs.</summary>
internal static class OptionsRegistration
{
    public static IServiceCollection AddVideoGenOptions(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Transient(typeof(IOptionsFactory<>), typeof(ConfigurationErrorOptionsFactory<>)));
        services.AddOptions<VideoGenOptions>().BindConfiguration(VideoGenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkersOptions>().BindConfiguration(WorkersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<QueueOptions>, QueueOptionsValidator>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IValidateOptions<VideoGen.Core.Models.PublicUrlOptions>, PublicBaseUrlValidator>();
        return services;
    }

    /// <summary>
    /// Reads a section for decisions taken while registering services (which backend to wire). A value that cannot
    /// be read is an <see cref="OptionsValidationException"/>, as it is at start (<see cref="UnreadableConfiguration"/>).
    /// </summary>
    public static T Peek<T>(this IConfiguration configuration, string section) where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw UnreadableConfiguration.Error(section, typeof(T), e);
        }
    }
}
