using Microsoft.EntityFrameworkCore;
using VideoGen.Core.Videos;

namespace VideoGen.Server.Data;

/// <summary>
/// The app database: Video rows now; Users and ApiKeys join here later. The model is shared; each
/// database provider has its own subclass (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>)
/// so that each keeps its own migration set (Data/Migrations/Sqlite, Data/Migrations/Postgres).
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Video> Videos => Set<Video>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfiguration(new VideoConfiguration());
}

/// <summary>The SQLite flavour: instants stored as UTC ticks (INTEGER) so they sort and compare in SQL.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
}

/// <summary>The PostgreSQL flavour: native timestamptz and numeric.</summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
