namespace VideoGen.Core.Videos;

/// <summary>
/// Where the pipeline reads and writes Video rows. Implemented by the server over its app database.
/// </summary>
/// <remarks>
/// Any lifetime works: the pipeline is resolved from the one DI scope its job runs in, so a scoped implementation
/// serves one job at a time; a singleton must be safe across concurrent jobs. The server's <c>EfVideoRepository</c> is
/// a singleton that opens a short-lived DbContext per call.
/// </remarks>
public interface IVideoRepository
{
    Task<Video?> FindAsync(string id, CancellationToken ct);

    /// <summary>
    /// Compare-and-set: persists <paramref name="video"/> (already loaded by <see cref="FindAsync"/>) durably and
    /// returns true only when the stored row's status and provider request id are still <paramref name="expected"/>
    /// (what this writer last read or saved); otherwise writes nothing and returns false. The check and the write
    /// are one atomic step, so of two concurrent writers expecting the same state exactly one succeeds.
    /// </summary>
    /// <remarks>
    /// <see cref="Video.CancelRequestedAt"/> is written by the cancel API while the pipeline may hold
    /// an older copy of the row, so a save must never clear a CancelRequestedAt already stored
    /// (leave the column out of the update, or COALESCE it); likewise <see cref="Video.ProviderCanceledAt"/>.
    /// Neither takes part in the comparison. <see cref="FindAsync"/> must return the stored row, not a cached
    /// instance: the pipeline re-reads it to tell a cancel from a shutdown.
    /// </remarks>
    Task<bool> TrySaveAsync(Video video, StoredVideoState expected, CancellationToken ct);

    /// <summary>
    /// True when a video other than <paramref name="videoId"/> holds <paramref name="provider"/>'s request
    /// <paramref name="requestId"/>. A request belongs to one video: a callback must never move it to a second one.
    /// </summary>
    Task<bool> IsRequestHeldByAnotherVideoAsync(string provider, string requestId, string videoId, CancellationToken ct);
}
