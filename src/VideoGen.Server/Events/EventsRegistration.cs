namespace VideoGen.Server.Events;

/// <summary>Live video events for the web server: one hub and one pump per process.</summary>
public static class EventsRegistration
{
    public static IServiceCollection AddVideoEvents(this IServiceCollection services)
    {
        services.AddSingleton<VideoEventHub>();
        services.AddSingleton<VideoEventPump>();
        services.AddHostedService(sp => sp.GetRequiredService<VideoEventPump>());
        return services;
    }
}
