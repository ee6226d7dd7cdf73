using Microsoft.EntityFrameworkCore;

namespace VideoGen.Server.Data;

/// <summary>The provider_slots and provider_limits tables; the indexes serve the counts a slot take makes.</summary>
internal static class ProviderSlotsModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ProviderSlotRow>(b =>
        {
            b.ToTable("provider_slots");
            b.HasKey(s => s.VideoId);
            b.Property(s => s.VideoId).HasMaxLength(64);
            b.Property(s => s.Provider).HasMaxLength(50).IsRequired();
            b.Property(s => s.Model).HasMaxLength(200).IsRequired();
            b.HasIndex(s => new { s.Provider, s.ReleasedAtMs }).HasDatabaseName("ix_provider_slots_provider_released");
            b.HasIndex(s => new { s.Provider, s.TakenAtMs }).HasDatabaseName("ix_provider_slots_provider_taken");
        });
        modelBuilder.Entity<ProviderLimitsRow>(b =>
        {
            b.ToTable("provider_limits");
            b.HasKey(l => l.Provider);
            b.Property(l => l.Provider).HasMaxLength(50);
            b.Property(l => l.ModelsJson).IsRequired();
        });
    }
}
