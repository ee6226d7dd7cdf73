using System.Net;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Limits;

/// <summary>
/// Priorities by tier (issue 13): a user's tier gives their videos its queue priority, so with every slot busy and a
/// backlog of free-tier videos, a pro user's video starts next; an admin can raise one waiting video above the rest.
/// </summary>
public sealed class TierPriorityTests
{
    [Fact]
    public async Task SlotsFullWithFreeBacklog_ProVideoStartsNext()
    {
        var recorder = new StartRecorder();
        await using var factory = await LimitsSupport.AccountsServerAsync(recorder: recorder, concurrency: 1);
        using var admin = await factory.AdminAsync();
        var (_, free) = await factory.UserAsync("free@example.com");
        var (proId, pro) = await factory.UserAsync("pro@example.com");
        using (var set = await admin.PutJsonAsync($"/api/admin/users/{proId}/limits", new { tier = "pro" }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            var limits = (await set.JsonAsync()).GetProperty("limits");
            Assert.Equal("pro", limits.GetProperty("tier").GetString());
            Assert.Equal(10, limits.GetProperty("priority").GetInt32());
        }

        var first = await free.SubmitOkAsync("free 1");
        await Eventually.TrueAsync(() => recorder.Started.Count == 1, "the first free video to take the only slot");
        for (var i = 2; i <= 4; i++)
        {
            await free.SubmitOkAsync($"free {i}");
        }
        var proVideo = await pro.SubmitOkAsync("pro 1");
        Assert.Equal(10, (await factory.JobAsync(proVideo))!.Priority);

        recorder.Release();
        await Eventually.TrueAsync(() => recorder.Started.Count == 2, "the slot to take the next video");

        Assert.Equal([first, proVideo], recorder.Started);
        recorder.Release(10);
    }

    [Fact]
    public async Task AdminRaisesWaitingVideo_ItStartsNext_AndARunningOneIsRefused()
    {
        var recorder = new StartRecorder();
        await using var factory = await LimitsSupport.AccountsServerAsync(recorder: recorder, concurrency: 1);
        using var admin = await factory.AdminAsync();
        var (_, user) = await factory.UserAsync("user@example.com");
        var running = await user.SubmitOkAsync("running");
        await Eventually.TrueAsync(() => recorder.Started.Count == 1, "the first video to take the only slot");
        var waiting = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            waiting.Add(await user.SubmitOkAsync($"waiting {i}"));
        }

        using var raise = await admin.PostJsonAsync($"/api/admin/videos/{waiting[2]}/priority", JsonSerializer.Serialize(new { priority = 50 }));
        using var tooLate = await admin.PostJsonAsync($"/api/admin/videos/{running}/priority", JsonSerializer.Serialize(new { priority = 50 }));
        using var invalid = await admin.PostJsonAsync($"/api/admin/videos/{waiting[0]}/priority", JsonSerializer.Serialize(new { priority = 5000 }));
        using var missing = await admin.PostJsonAsync("/api/admin/videos/nosuchvideo/priority", JsonSerializer.Serialize(new { priority = 1 }));

        Assert.Equal(HttpStatusCode.OK, raise.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(50, (await factory.JobAsync(waiting[2]))!.Priority);
        Assert.Equal(50, (await factory.VideosInDatabaseAsync()).Single(v => v.Id == waiting[2]).Priority);
        recorder.Release();
        await Eventually.TrueAsync(() => recorder.Started.Count == 2, "the slot to take the next video");

        Assert.Equal([running, waiting[2]], recorder.Started);
        recorder.Release(10);
    }
}
