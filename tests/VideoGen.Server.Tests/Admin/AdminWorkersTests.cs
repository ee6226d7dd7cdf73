using System.Net;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Admin;

/// <summary>With workers on, the host's own video worker announces itself and the admin API lists it.</summary>
public sealed class AdminWorkersTests
{
    [Fact]
    public async Task Workers_ListsTheInProcessVideoWorker()
    {
        await using var host = await AdminHost.StartAsync(workersEnabled: true, queueName: "admin-videos");

        var body = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await host.Http.GetAsync("/api/admin/workers", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.JsonAsync();
            },
            b => b.GetProperty("items").GetArrayLength() > 0,
            TimeSpan.FromSeconds(20),
            "the in-process video worker to be listed");

        var worker = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal("admin-videos", worker.GetProperty("queue").GetString());
        Assert.Equal(Environment.MachineName, worker.GetProperty("host").GetString());
        Assert.Equal(Environment.ProcessId, worker.GetProperty("processId").GetInt32());
        Assert.Equal(4, worker.GetProperty("concurrency").GetInt32());
        Assert.Equal(0, worker.GetProperty("runningJobs").GetInt32());

        using var unknown = await host.Http.GetAsync("/api/admin/queues/videos", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var known = await host.Http.GetAsync("/api/admin/queues/admin-videos", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }
}
