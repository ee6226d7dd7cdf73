using System.Globalization;
using VideoGen.Client;

namespace VideoGen.Server.Cli;

/// <summary>How a video reads in the terminal: a <c>key: value</c> block, a one-line summary, and the exit code its final status means.</summary>
internal static class VideoText
{
    public static async Task WriteAsync(TextWriter output, Video video, Uri server)
    {
        await output.WriteLineAsync($"id: {video.Id}");
        await output.WriteLineAsync($"status: {video.Status}");
        await output.WriteLineAsync($"model: {video.Model}");
        await output.WriteLineAsync($"prompt: {video.Prompt}");
        if (video.Seed is { } seed)
        {
            await output.WriteLineAsync($"seed: {seed.ToString(CultureInfo.InvariantCulture)}");
        }
        if (Progress(video) is { } progress)
        {
            await output.WriteLineAsync($"progress: {progress}");
        }
        if (video.QueuePosition is { } position)
        {
            await output.WriteLineAsync($"queuePosition: {position.ToString(CultureInfo.InvariantCulture)}");
        }
        if (video.Error is { } error)
        {
            await output.WriteLineAsync($"error: {error}");
        }
        if (video.VideoUrl is { } url)
        {
            await output.WriteLineAsync($"videoUrl: {new Uri(server, url)}");
        }
        await output.WriteLineAsync($"createdAt: {video.CreatedAt.ToString("O", CultureInfo.InvariantCulture)}");
    }

    /// <summary>One line: status, our queue / provider position, progress, the latest log line.</summary>
    public static string Summary(Video video)
    {
        var parts = new List<string> { video.Status };
        if (video.QueuePosition is { } position)
        {
            parts.Add($"queue position {position.ToString(CultureInfo.InvariantCulture)}");
        }
        if (Progress(video) is { } progress)
        {
            parts.Add(progress);
        }
        if (video.Logs.Count > 0)
        {
            parts.Add(video.Logs[^1]);
        }
        return string.Join(" · ", parts);
    }

    public static string? Progress(Video video) =>
        video.Progress is { } p ? (Math.Clamp(p, 0, 1) * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : null;

    /// <summary>The exit code of a finished video: 0 succeeded, 1 failed, 4 canceled.</summary>
    public static int ExitCodeOf(Video video) => video.Status switch
    {
        VideoStatuses.Succeeded => ExitCodes.Succeeded,
        VideoStatuses.Canceled => ExitCodes.Canceled,
        _ => ExitCodes.Failed,
    };

    /// <summary>The one-line message of a video that did not succeed.</summary>
    public static string FinalMessage(Video video) => video.Status == VideoStatuses.Canceled
        ? $"video {video.Id} was canceled{(video.Error is { } e ? ": " + e : ".")}"
        : $"video {video.Id} failed{(video.Error is { } f ? ": " + f : ".")}";
}
