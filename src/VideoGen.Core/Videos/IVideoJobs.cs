namespace VideoGen.Core.Videos;

/// <summary>
/// The videos queue as VideoGen.Core needs it. Implemented by the host, which knows the queue the jobs run on (the
/// server's <c>VideoJobs</c>); Core decides when a video's job must run.
/// </summary>
public interface IVideoJobs
{
    /// <summary>
    /// Runs the job of <paramref name="video"/> again after the video was put back in progress (a re-attached lost
    /// submit): its failed job is retried with fresh attempts, or enqueued anew when retention removed it. With
    /// <paramref name="waitForActive"/> an active job is the failing run still writing its end, and is waited for
    /// (bounded) so the retry is not lost to that write; without it an active job is the one already running the video.
    /// </summary>
    Task RunAgainAsync(Video video, bool waitForActive, CancellationToken ct);

    /// <summary>
    /// Runs the job of video <paramref name="videoId"/> now if it is parked until its next status check (news arrived,
    /// e.g. a provider webhook), in whichever process or machine a worker claims it; a running job is noted so that
    /// its park that follows runs it again at once. A job in any other state is left alone.
    /// </summary>
    Task WakeAsync(string videoId, CancellationToken ct);
}
