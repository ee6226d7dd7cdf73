using Microsoft.EntityFrameworkCore;

namespace VideoGen.Server.Data;

/// <summary>
/// Applies the checked-in migrations. SQLite: creates DataDir and switches the file to WAL
/// (a persistent setting) so readers never block the writer and several processes can share it.
/// Safe to run from several processes at once: EF takes a migrations lock.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<AppDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        if (pending.Count > 0)
        {
            logger.LogInformation("Applied {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        }
    }
}

/// <summary>Runs <see cref="DatabaseMigrator"/> before anything else starts (registered first, so before Kestrel and the workers).</summary>
internal sealed class MigrateOnStartService(DatabaseMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
