using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Videos;
using VideoGen.Server.Options;

namespace VideoGen.Server.Data;

/// <summary>
/// Wires the app database for the configured provider. Everything else asks for
/// <see cref="AppDbContext"/> (scoped) or <see cref="IDbContextFactory{AppDbContext}"/> and never
/// learns which provider is behind it.
/// </summary>
internal static class DatabaseRegistration
{
    public const string SqliteFileName = "videogen.db";

    public static IServiceCollection AddAppDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.Peek<DatabaseOptions>(DatabaseOptions.Section).Provider?.Trim().ToLowerInvariant();
        if (provider == DatabaseOptions.Postgres)
        {
            services.AddDbContextFactory<PostgresAppDbContext>((sp, o) =>
                o.UseNpgsql(sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres")));
            services.AddSingleton<IDbContextFactory<AppDbContext>, UpcastFactory<PostgresAppDbContext>>();
        }
        else
        {
            // Unknown providers also land here; options validation stops the host with a clear message before use.
            services.AddDbContextFactory<SqliteAppDbContext>((sp, o) =>
            {
                var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                o.UseSqlite(SqliteConnectionString(sp.GetRequiredService<IOptions<VideoGenOptions>>().Value, db))
                    .AddInterceptors(new SqliteBusyTimeoutInterceptor(db.SqliteBusyTimeout));
            });
            services.AddSingleton<IDbContextFactory<AppDbContext>, UpcastFactory<SqliteAppDbContext>>();
        }
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        services.AddSingleton<IVideoRepository, EfVideoRepository>();
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    public static string SqliteConnectionString(VideoGenOptions app, DatabaseOptions db) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(app.DataDirFullPath, SqliteFileName),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = Math.Max(1, (int)db.SqliteBusyTimeout.TotalSeconds),
    }.ToString();

    /// <summary>Hands out the provider's context as the neutral <see cref="AppDbContext"/>.</summary>
    private sealed class UpcastFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<AppDbContext>
        where T : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
