using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Data;

/// <summary>The Videos table. Indexes serve the hot reads: newest-first cursor paging (everyone's, and one owner's) and "all queued" (reconciler), one owner's spend by submit time.</summary>
internal sealed class VideoConfiguration : IEntityTypeConfiguration<Video>
{
    public void Configure(EntityTypeBuilder<Video> b)
    {
        b.ToTable("videos");
        b.HasKey(v => v.Id);
        b.Property(v => v.Id).HasMaxLength(64);
        // The owner: an account id, or LocalOwner.Id (rows from before accounts were backfilled by the Accounts migration).
        b.Property(v => v.UserId).HasMaxLength(64);
        b.Property(v => v.Prompt).IsRequired();
        b.Property(v => v.Model).HasMaxLength(200).IsRequired();
        b.Property(v => v.Status).HasConversion<VideoStatusConverter>().HasMaxLength(32).IsRequired();
        b.Property(v => v.Provider).HasMaxLength(50);
        b.Property(v => v.EstimatedCostUsd).HasPrecision(18, 6);
        b.Property(v => v.SpentCostUsd).HasPrecision(18, 6);
        b.HasIndex(v => new { v.CreatedAt, v.Id }).HasDatabaseName("ix_videos_created_at_id");
        b.HasIndex(v => v.Status).HasDatabaseName("ix_videos_status");
        b.HasIndex(v => new { v.UserId, v.CreatedAt, v.Id }).HasDatabaseName("ix_videos_user_id_created_at_id");
        // One owner's spend today and this month (Limits/SpendLedger).
        b.HasIndex(v => new { v.UserId, v.SubmittedAt }).HasDatabaseName("ix_videos_user_id_submitted_at");
    }
}
