using VideoGen.Core.Providers.Slots;
using VideoGen.Server.Providers;

namespace VideoGen.Server.Hosting;

/// <summary>Provider slots and limits across all machines (issue 13), kept in the app database.</summary>
internal static class ProviderSlotsWiring
{
    public static IServiceCollection AddProviderSlots(this IServiceCollection services)
    {
        services.AddSingleton<ProviderLimitsCatalog>();
        services.AddSingleton<DbProviderSlots>();
        services.AddSingleton<IProviderSlots>(sp => sp.GetRequiredService<DbProviderSlots>());
        services.AddHostedService<ProviderSlotReconciler>();
        return services;
    }
}
