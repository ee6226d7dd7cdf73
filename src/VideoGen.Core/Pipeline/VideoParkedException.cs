using VideoGen.Queue;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// The video waits at the provider: its job goes back to the queue until its next status check, without using an
/// attempt, and holds no worker slot meanwhile. A provider webhook promotes the job at once
/// (<see cref="ProviderWebhooks"/>, <c>IQueueStore.PromoteAsync</c>). DESIGN promise 6.
/// </summary>
public sealed class VideoParkedException(string videoId, TimeSpan until)
    : RetryAfterException(until, $"Video '{videoId}' waits at the provider; next status check in {until}.")
{
    public string VideoId { get; } = videoId;
}
