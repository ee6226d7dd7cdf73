using System.ComponentModel.DataAnnotations;

namespace FakeFal.Options;

/// <summary>How requests move through each model's queue.</summary>
public sealed class QueueOptions
{
    /// <summary>Concurrent "GPU" slots per model id; requests beyond them wait IN_QUEUE with a position.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 100_000)]
    public int Slots { get; set; } = 10;

    /// <summary>Minimum time a request stays IN_QUEUE even when a slot is free (fal always queues briefly).</summary>
    /// <value>The default value is 0.5 s.</value>
    public TimeSpan QueueDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a request stays IN_PROGRESS ("generation time").</summary>
    /// <value>The default value is 3 s.</value>
    public TimeSpan InProgress { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Interval between progress log lines while IN_PROGRESS.</summary>
    /// <value>The default value is 0.5 s.</value>
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
