namespace VideoGen.Core.Videos;

/// <summary>
/// What a writer last saw stored for a Video row: its status and its provider request id. Every write of the
/// pipeline is conditioned on it (<see cref="IVideoRepository.TrySaveAsync"/>): a write applies only while the
/// stored row still has exactly this status and request id, so of two runs that both read <c>queued</c> only one
/// can move it to <c>submitting</c> (and pay), and a stale copy can never overwrite a status or a request id that
/// another run wrote meanwhile.
/// </summary>
public readonly record struct StoredVideoState(VideoStatus Status, string? ProviderRequestId)
{
    /// <summary>The state of <paramref name="video"/> as it was read or last saved.</summary>
    public static StoredVideoState Of(Video video) => new(video.Status, video.ProviderRequestId);

    public override string ToString() => $"{Status.ToWire()} (request {ProviderRequestId ?? "none"})";
}
