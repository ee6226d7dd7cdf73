using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Options;

/// <summary>Settings under <c>VideoGen:Database</c>: where the app database (videos, later users and API keys) lives.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "VideoGen:Database";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>
    /// <c>sqlite</c> (file <c>videogen.db</c> in DataDir) or <c>postgres</c> (needs
    /// <c>ConnectionStrings:Postgres</c>). <value>The default value is <c>sqlite</c>.</value>
    /// </summary>
    [Required]
    public string Provider { get; set; } = Sqlite;

    /// <summary>How long a SQLite writer waits for another process's lock. <value>The default value is 10 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "VideoGen:Database:SqliteBusyTimeout must be from 00:00:00.100 to 00:05:00.")]
    public TimeSpan SqliteBusyTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
