namespace VideoGen.Core.Videos;

/// <summary>
/// Where the pipeline reads and writes Video rows. Implemented by the server over its app database.
/// </summary>
public interface IVideoRepository
{
    Task<Video?> FindAsync(string id, CancellationToken ct);

    /// <summary>Persists <paramref name="video"/> (already loaded by <see cref="FindAsync"/>) durably before returning.</summary>
    Task SaveAsync(Video video, CancellationToken ct);
}
