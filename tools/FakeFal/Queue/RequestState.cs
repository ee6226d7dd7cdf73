namespace FakeFal.Queue;

/// <summary>fal's queue states. A request only moves forward: IN_QUEUE → IN_PROGRESS → COMPLETED.</summary>
public enum RequestState
{
    /// <summary>Waiting for a slot of its model; the engine moves it on when a slot frees up.</summary>
    InQueue,

    /// <summary>Holding a slot; the runner completes it after the configured time or on cancel.</summary>
    InProgress,

    /// <summary>Terminal: with output, with an error, or canceled. Kept until its retention ends.</summary>
    Completed,
}
