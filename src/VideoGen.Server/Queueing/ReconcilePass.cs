namespace VideoGen.Server.Queueing;

/// <summary>What one reconciler pass did.</summary>
/// <param name="Examined">Unfinished videos looked at.</param>
/// <param name="Created">Jobs given back to videos that had none (or whose job had ended while the video had not).</param>
/// <param name="Settled">Unfinished videos whose job had failed or been canceled, ended the same way.</param>
/// <param name="CycleCompleted">True when this pass reached the newest unfinished video: every unfinished video has
/// been looked at since the cycle began, and the next pass starts again from the oldest.</param>
public readonly record struct ReconcilePass(int Examined, int Created, int Settled, bool CycleCompleted);
