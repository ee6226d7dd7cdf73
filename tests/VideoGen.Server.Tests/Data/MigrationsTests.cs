using Microsoft.EntityFrameworkCore;
using VideoGen.Server.Data;

namespace VideoGen.Server.Tests.Data;

/// <summary>The checked-in migrations match the model, for each database provider (a forgotten migration fails here).</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void SqliteModel_HasNoChangesWithoutMigration()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet-ef migrations add for SqliteAppDbContext (see src/VideoGen.Server/README.md).");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void PostgresModel_HasNoChangesWithoutMigration()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "Run dotnet-ef migrations add for PostgresAppDbContext (see src/VideoGen.Server/README.md).");
        Assert.NotEmpty(db.Database.GetMigrations());
    }
}
