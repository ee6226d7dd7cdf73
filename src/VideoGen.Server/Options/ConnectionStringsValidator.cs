using Microsoft.Extensions.Options;

namespace VideoGen.Server.Options;

/// <summary>
/// Cross-key checks that data annotations cannot express: a backend or provider that needs a
/// connection string must have one. Messages name the key and the fix.
/// </summary>
internal sealed class QueueOptionsValidator(IConfiguration configuration) : IValidateOptions<QueueOptions>
{
    public ValidateOptionsResult Validate(string? name, QueueOptions options)
    {
        var backend = options.Backend?.Trim().ToLowerInvariant();
        if (backend is not (QueueOptions.Sqlite or QueueOptions.Redis))
        {
            return ValidateOptionsResult.Fail(
                $"VideoGen:Queue:Backend is '{options.Backend}'; set it to 'sqlite' (embedded, the default) or 'redis'.");
        }
        if (backend == QueueOptions.Redis && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
        {
            return ValidateOptionsResult.Fail(
                "VideoGen:Queue:Backend is 'redis' but ConnectionStrings:Redis is empty; set ConnectionStrings:Redis " +
                "(e.g. environment variable ConnectionStrings__Redis=localhost:6379) or use VideoGen:Queue:Backend=sqlite.");
        }
        return ValidateOptionsResult.Success;
    }
}

/// <inheritdoc cref="QueueOptionsValidator"/>
internal sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var provider = options.Provider?.Trim().ToLowerInvariant();
        if (provider is not (DatabaseOptions.Sqlite or DatabaseOptions.Postgres))
        {
            return ValidateOptionsResult.Fail(
                $"VideoGen:Database:Provider is '{options.Provider}'; set it to 'sqlite' (the default) or 'postgres'.");
        }
        if (provider == DatabaseOptions.Postgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")))
        {
            return ValidateOptionsResult.Fail(
                "VideoGen:Database:Provider is 'postgres' but ConnectionStrings:Postgres is empty; set ConnectionStrings:Postgres " +
                "(e.g. ConnectionStrings__Postgres=\"Host=localhost;Username=videogen;Password=…;Database=videogen\") or use VideoGen:Database:Provider=sqlite.");
        }
        return ValidateOptionsResult.Success;
    }
}
