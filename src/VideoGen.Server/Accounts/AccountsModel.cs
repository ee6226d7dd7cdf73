using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace VideoGen.Server.Accounts;

/// <summary>The accounts tables: Identity's under short lowercase names (like <c>videos</c>), API keys, invitations, upload owners, data-protection keys.</summary>
internal static class AccountsModel
{
    public static void Configure(ModelBuilder m)
    {
        m.Entity<AppUser>().ToTable("users");
        m.Entity<IdentityRole>().ToTable("roles");
        m.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        m.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        m.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        m.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        m.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");
        m.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        m.Entity<ApiKey>(b =>
        {
            b.ToTable("api_keys");
            b.HasKey(k => k.Id);
            b.Property(k => k.Id).HasMaxLength(64);
            b.Property(k => k.UserId).HasMaxLength(450);
            b.Property(k => k.Name).HasMaxLength(100);
            b.Property(k => k.Prefix).HasMaxLength(16);
            b.Property(k => k.Hash).HasMaxLength(64);
            b.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("ix_api_keys_hash");
            b.HasIndex(k => k.UserId).HasDatabaseName("ix_api_keys_user_id");
            b.HasOne<AppUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        m.Entity<Invitation>(b =>
        {
            b.ToTable("invitations");
            b.HasKey(i => i.Id);
            b.Property(i => i.Id).HasMaxLength(64);
            b.Property(i => i.CodeHash).HasMaxLength(64);
            b.Property(i => i.Email).HasMaxLength(256);
            b.Property(i => i.CreatedBy).HasMaxLength(450);
            b.Property(i => i.UsedBy).HasMaxLength(450);
            b.HasIndex(i => i.CodeHash).IsUnique().HasDatabaseName("ix_invitations_code_hash");
        });

        m.Entity<UploadRecord>(b =>
        {
            b.ToTable("uploads");
            b.HasKey(u => u.Key);
            b.Property(u => u.Key).HasMaxLength(200);
            b.Property(u => u.OwnerId).HasMaxLength(450);
            b.HasIndex(u => u.OwnerId).HasDatabaseName("ix_uploads_owner_id");
        });

        m.Entity<AppUser>(b =>
        {
            b.Property(u => u.Tier).HasMaxLength(32);
            b.Property(u => u.DailyBudgetUsd).HasPrecision(18, 6);
        });

        m.Entity<Limits.IdempotencyRecord>(b =>
        {
            b.ToTable("idempotency_keys");
            // The key itself is the claim: inserting it first is what lets only one of two identical requests run.
            b.HasKey(k => new { k.OwnerId, k.Scope, k.Key });
            b.Property(k => k.OwnerId).HasMaxLength(450);
            b.Property(k => k.Scope).HasMaxLength(16);
            b.Property(k => k.Key).HasMaxLength(Limits.IdempotencyKeys.MaxKeyLength);
            b.Property(k => k.RequestHash).HasMaxLength(64);
            b.Property(k => k.ContentType).HasMaxLength(100);
            b.Property(k => k.Location).HasMaxLength(300);
            b.HasIndex(k => k.ExpiresAt).HasDatabaseName("ix_idempotency_keys_expires_at");
        });
    }
}
