using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Data;

/// <summary>The Videos table. Indexes serve the two hot reads: newest-first cursor paging and "all queued" (reconciler).</summary>
internal sealed class VideoConfiguration : IEntityTypeConfiguration<Video>
{
    public void Configure(EntityTypeBuilder<Video> b)
    {
        b.ToTable("videos");
        b.HasKey(v => v.Id);
        b.Property(v => v.Id).HasMaxLength(64);
        b.Property(v => v.UserId).HasMaxLength(64);
        b.Property(v => v.Prompt).IsRequired();
        b.Property(v => v.Model).HasMaxLength(200).IsRequired();
        b.Property(v => v.Status).HasConversion<VideoStatusConverter>().HasMaxLength(16).IsRequired();
        b.Property(v => v.Provider).HasMaxLength(50);
        b.Property(v => v.EstimatedCostUsd).HasPrecision(18, 6);
        b.HasIndex(v => new { v.CreatedAt, v.Id }).HasDatabaseName("ix_videos_created_at_id");
        b.HasIndex(v => v.Status).HasDatabaseName("ix_videos_status");
    }
}
