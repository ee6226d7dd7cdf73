using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;
using VideoGen.Server.Accounts;

namespace VideoGen.Server.Data;

/// <summary>
/// The app database: videos, accounts (ASP.NET Core Identity), API keys, invitations, upload owners, idempotency keys and the
/// data-protection key ring (shared by every server process, so a cookie issued by one is read by all). The model is shared; each
/// database provider has its own subclass (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>)
/// so that each keeps its own migration set (Data/Migrations/Sqlite, Data/Migrations/Postgres).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Video> Videos => Set<Video>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<UploadRecord> Uploads => Set<UploadRecord>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Limits.IdempotencyRecord> IdempotencyKeys => Set<Limits.IdempotencyRecord>();

    public DbSet<ProviderSlotRow> ProviderSlots => Set<ProviderSlotRow>();

    public DbSet<ProviderLimitsRow> ProviderLimits => Set<ProviderLimitsRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new VideoConfiguration());
        AccountsModel.Configure(modelBuilder);
        ProviderSlotsModel.Configure(modelBuilder);
    }
}

/// <summary>The SQLite flavour: instants stored as UTC ticks (INTEGER) so they sort and compare in SQL.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
}

/// <summary>The PostgreSQL flavour: native timestamptz and numeric.</summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
