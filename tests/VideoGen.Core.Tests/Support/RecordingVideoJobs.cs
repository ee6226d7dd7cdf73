using System.Collections.Concurrent;
using VideoGen.Core.Videos;

namespace VideoGen.Core.Tests.Support;

/// <summary>A stand-in for the host's videos queue: records which videos' jobs were asked to run again.</summary>
public sealed class RecordingVideoJobs : IVideoJobs
{
    public ConcurrentQueue<(string VideoId, bool WaitForActive)> RunAgain { get; } = new();

    public ConcurrentQueue<string> Woken { get; } = new();

    public Task WakeAsync(string videoId, CancellationToken ct)
    {
        Woken.Enqueue(videoId);
        return Task.CompletedTask;
    }

    public Task RunAgainAsync(Video video, bool waitForActive, CancellationToken ct)
    {
        RunAgain.Enqueue((video.Id, waitForActive));
        return Task.CompletedTask;
    }
}
