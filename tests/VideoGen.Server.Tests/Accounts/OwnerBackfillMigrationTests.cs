using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>Videos stored before accounts existed belong to the local owner after the Accounts migration.</summary>
public sealed class OwnerBackfillMigrationTests
{
    [Fact]
    public async Task AccountsMigration_GivesOwnerlessVideosToTheLocalOwner()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var options = new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir.Path, "app.db"), Pooling = false }.ToString()).Options;
        await using var db = new SqliteAppDbContext(options);
        var migrator = db.GetService<IMigrator>();
        var beforeAccounts = db.Database.GetMigrations().Last(m => !m.EndsWith("_Accounts", StringComparison.Ordinal) && string.CompareOrdinal(m, "20261206") < 0);
        await migrator.MigrateAsync(beforeAccounts, ct);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO videos (\"Id\", \"Prompt\", \"Model\", \"Status\", \"Attempts\", \"CreatedAt\", \"UpdatedAt\") VALUES ('old-video', 'an old fox', 'local/preview', 'succeeded', 1, 0, 0);", ct);

        await migrator.MigrateAsync(cancellationToken: ct);

        var owner = await db.Videos.AsNoTracking().Where(v => v.Id == "old-video").Select(v => v.UserId).SingleAsync(ct);
        Assert.Equal(VideoGen.Server.Accounts.LocalOwner.Id, owner);
    }
}
