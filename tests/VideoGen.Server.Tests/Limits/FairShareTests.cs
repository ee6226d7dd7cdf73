using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Queueing;

namespace VideoGen.Server.Tests.Limits;

/// <summary>
/// The owner is the job's queue group, so one heavy user cannot starve another (issue 10): user A queues 200 videos,
/// then user B 5; with two worker slots, B's videos start after at most a few of A's, not after A's whole backlog.
/// </summary>
public sealed class FairShareTests
{
    private static readonly Dictionary<string, string?> Unlimited = new()
    {
        ["VideoGen:Limits:MaxActiveVideos"] = "0",
        ["VideoGen:Limits:SubmissionsPerMinute"] = "0",
    };

    [Fact]
    public async Task HeavyUserBacklog_DoesNotDelayAnotherUsersVideos()
    {
        var recorder = new StartRecorder { AutoRelease = TimeSpan.FromMilliseconds(10) };
        await using var factory = await LimitsSupport.AccountsServerAsync(Unlimited, recorder, concurrency: 2);
        var (_, a) = await factory.UserAsync("a@example.com");
        var (_, b) = await factory.UserAsync("b@example.com");
        var queue = factory.Services.GetRequiredService<VideoJobs>().Queue;
        // Held while the backlog is built, so both users' videos are waiting when the slots open: the order is the engine's alone.
        await queue.PauseAsync(TestContext.Current.CancellationToken);
        var aVideos = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            aVideos.Add(await a.SubmitOkAsync($"a's video {i}"));
        }
        var bVideos = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            bVideos.Add(await b.SubmitOkAsync($"b's video {i}"));
        }

        await queue.ResumeAsync(TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => recorder.Started.Count(bVideos.Contains) == 5, "all five of B's videos to start", TimeSpan.FromSeconds(60));

        var started = recorder.Started;
        var lastOfB = started.Select((id, i) => (id, i)).Last(x => bVideos.Contains(x.id)).i;
        var aBeforeB = started.Take(lastOfB).Count(aVideos.Contains);
        TestContext.Current.TestOutputHelper?.WriteLine($"{aBeforeB} of A's 200 videos started before B's fifth (start #{lastOfB + 1} of {started.Count} so far)");
        // Turns between the two users: B's fifth starts after at most five of A's (plus one slot's head start); first in,
        // first out would have started all 200 of A's first.
        Assert.True(aBeforeB <= 6, $"{aBeforeB} of A's videos started before B's last one (order: {string.Join(" ", started.Take(lastOfB + 1).Select(id => bVideos.Contains(id) ? "B" : "A"))})");
    }
}
