using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Options;

/// <summary>Settings under <c>VideoGen:Queue</c>: which queue backend holds the jobs.</summary>
public sealed class QueueOptions
{
    public const string Section = "VideoGen:Queue";
    public const string Sqlite = "sqlite";
    public const string Redis = "redis";

    /// <summary>
    /// <c>sqlite</c> (embedded, one machine; file in DataDir) or <c>redis</c> (many machines; needs
    /// <c>ConnectionStrings:Redis</c>). <value>The default value is <c>sqlite</c>.</value>
    /// </summary>
    [Required]
    public string Backend { get; set; } = Sqlite;

    /// <summary>Name of the queue video jobs go to. <value>The default value is <c>videos</c>.</value></summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "VideoGen:Queue:Name must be 1-64 letters, digits, '-' or '_'.")]
    public string Name { get; set; } = "videos";

    /// <summary>Attempts per video job before it fails for good. <value>The default value is 5.</value></summary>
    [Range(1, 100, ErrorMessage = "VideoGen:Queue:MaxAttempts must be from 1 to 100.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How often the reconciler re-enqueues queued videos that have no job. <value>The default value is 30 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "VideoGen:Queue:ReconcileInterval must be from 00:00:01 to 1.00:00:00.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Unfinished videos the reconciler looks at per pass, at most. It pages through all unfinished videos, oldest
    /// first, with a cursor kept between passes: a larger backlog is covered by several passes in turn, so one pass's
    /// work stays bounded. <value>The default value is 20,000.</value>
    /// </summary>
    [Range(100, 10_000_000, ErrorMessage = "VideoGen:Queue:ReconcileRowsPerPass must be from 100 to 10000000.")]
    public int ReconcileRowsPerPass { get; set; } = 20_000;
}
