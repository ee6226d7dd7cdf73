namespace VideoGen.Queue;

/// <summary>What <see cref="IQueueStore.PromoteAsync"/> did.</summary>
public enum PromoteOutcome
{
    /// <summary>No job has that id.</summary>
    NotFound = 0,

    /// <summary>The job was delayed and is now waiting: the next free worker runs it.</summary>
    Promoted = 1,

    /// <summary>The job was already waiting: nothing to do.</summary>
    AlreadyWaiting = 2,

    /// <summary>The job is running: its next release runs it again at once instead of at the time it names.</summary>
    WakeNoted = 3,

    /// <summary>The job has finished (completed, failed or canceled): nothing to do.</summary>
    Finished = 4,
}
