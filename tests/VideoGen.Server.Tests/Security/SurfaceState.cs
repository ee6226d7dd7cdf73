using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VideoGen.Queue;
using VideoGen.Server.Options;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Security;

/// <summary>
/// What a refused request must not change, read straight from the stores: video rows and their statuses, jobs
/// per state, the queue's pause flag, and the files under the media folder.
/// </summary>
internal sealed record SurfaceState(string Videos, string Jobs, bool Paused, int MediaFiles)
{
    public static async Task<SurfaceState> ReadAsync(VideoGenFactory factory)
    {
        var videos = await factory.VideosInDatabaseAsync();
        var queue = factory.Services.GetRequiredService<JobQueues>().Get(factory.Services.GetRequiredService<IOptions<QueueOptions>>().Value.Name);
        var counts = await queue.CountsAsync(TestContext.Current.CancellationToken);
        var media = Path.Combine(factory.DataDir, "media");
        return new SurfaceState(
            string.Join(",", videos.OrderBy(v => v.Id, StringComparer.Ordinal).Select(v => $"{v.Id}:{v.Status}:{v.CancelRequestedAt is not null}")),
            string.Join(",", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}")),
            await queue.IsPausedAsync(TestContext.Current.CancellationToken),
            Directory.Exists(media) ? Directory.EnumerateFiles(media, "*", SearchOption.AllDirectories).Count() : 0);
    }
}
