using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Queue;
using VideoGen.Queue.WorkerPresence;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Admin;

/// <summary>The admin API over the real host and a real SQLite queue, with workers off so jobs stay where a test puts them.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private AdminHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Http => _host.Http;

    public async ValueTask InitializeAsync() => _host = await AdminHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetQueue_ReturnsACountForEveryStateAndThePausedFlag()
    {
        await _host.FailedJobAsync("f1");
        var now = TimeProvider.System.GetUtcNow();
        await _host.Store().EnqueueAsync(new EnqueueRequest { Id = "w1" }, now, Ct);
        await _host.Store().EnqueueAsync(new EnqueueRequest { Id = "d1", RunAt = now.AddHours(1) }, now, Ct);

        using var response = await Http.GetAsync("/api/admin/queues/videos", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("videos", body.GetProperty("name").GetString());
        Assert.False(body.GetProperty("paused").GetBoolean());
        var counts = body.GetProperty("counts");
        Assert.Equal(
            ["waiting=1", "delayed=1", "active=0", "completed=0", "failed=1", "canceled=0"],
            counts.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}"));
    }

    [Theory]
    [InlineData("GET", "/api/admin/queues/nope")]
    [InlineData("GET", "/api/admin/queues/a%7Bb%7D")]
    [InlineData("GET", "/api/admin/queues/nope/jobs")]
    [InlineData("POST", "/api/admin/queues/nope/pause")]
    [InlineData("POST", "/api/admin/queues/nope/resume")]
    [InlineData("POST", "/api/admin/queues/nope/jobs/x/retry")]
    [InlineData("DELETE", "/api/admin/queues/nope/jobs/x")]
    public async Task UnknownQueue_Is404ProblemDetails_AndCreatesNothing(string method, string path)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "Queue not found");
    }

    [Theory]
    [InlineData("GET", "/api/admin/queues/videos/jobs/missing")]
    [InlineData("POST", "/api/admin/queues/videos/jobs/missing/retry")]
    [InlineData("DELETE", "/api/admin/queues/videos/jobs/missing")]
    public async Task UnknownJob_Is404ProblemDetails(string method, string path)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "Job not found");
    }

    [Fact]
    public async Task ListJobs_WithoutState_PagesFailedJobsOldestFirst()
    {
        await _host.FailedJobAsync("f1", "first");
        await _host.FailedJobAsync("f2", "second");
        await _host.FailedJobAsync("f3", "third");
        await _host.Store().EnqueueAsync(new EnqueueRequest { Id = "waiting" }, TimeProvider.System.GetUtcNow(), Ct);

        var first = await GetJsonAsync("/api/admin/queues/videos/jobs?limit=2");
        var cursor = first.GetProperty("nextCursor").GetString();
        Assert.NotNull(cursor);
        var second = await GetJsonAsync($"/api/admin/queues/videos/jobs?state=failed&limit=2&cursor={Uri.EscapeDataString(cursor)}");

        var items = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).ToList();
        Assert.Equal(["f1", "f2", "f3"], items.Select(j => j.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.All(items, j => Assert.Equal("failed", j.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var f1 = items.Single(j => j.GetProperty("id").GetString() == "f1");
        Assert.Equal("first", f1.GetProperty("error").GetString());
        Assert.Equal(1, f1.GetProperty("attempt").GetInt32());
        Assert.Equal(3, f1.GetProperty("maxAttempts").GetInt32());
        Assert.False(f1.TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task ListJobs_StateIsCaseInsensitive()
    {
        await _host.Store().EnqueueAsync(new EnqueueRequest { Id = "w1" }, TimeProvider.System.GetUtcNow(), Ct);

        var page = await GetJsonAsync("/api/admin/queues/videos/jobs?state=Waiting");

        Assert.Equal(["w1"], page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("state=bogus", "state")]
    [InlineData("state=4", "state")]
    [InlineData("state=", "state")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=-1", "cursor")]
    public async Task ListJobs_BadQueryValue_Is400NamingTheField(string query, string field)
    {
        using var response = await Http.GetAsync($"/api/admin/queues/videos/jobs?{query}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Retry_FailedJob_MovesItBackToWaitingWithFreshAttempts()
    {
        await _host.FailedJobAsync("f1");

        using var response = await Http.PostAsync("/api/admin/queues/videos/jobs/f1/retry", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var job = await response.JsonAsync();
        Assert.Equal("waiting", job.GetProperty("state").GetString());
        Assert.Equal(0, job.GetProperty("attempt").GetInt32());
        Assert.Equal(JobState.Waiting, (await _host.Store().GetAsync("f1", Ct))!.State);
    }

    [Fact]
    public async Task Retry_JobThatHasNotFailed_Is409()
    {
        await _host.Store().EnqueueAsync(new EnqueueRequest { Id = "w1" }, TimeProvider.System.GetUtcNow(), Ct);

        using var response = await Http.PostAsync("/api/admin/queues/videos/jobs/w1/retry", null, Ct);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "Job cannot be retried");
        Assert.Equal(JobState.Waiting, (await _host.Store().GetAsync("w1", Ct))!.State);
    }

    [Fact]
    public async Task Delete_FinishedJob_RemovesIt()
    {
        await _host.FailedJobAsync("f1");

        using var response = await Http.DeleteAsync("/api/admin/queues/videos/jobs/f1", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await _host.Store().GetAsync("f1", Ct));
        using var again = await Http.GetAsync("/api/admin/queues/videos/jobs/f1", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Delete_RunningJob_Is409AndKeepsIt()
    {
        var store = _host.Store();
        var now = TimeProvider.System.GetUtcNow();
        await store.EnqueueAsync(new EnqueueRequest { Id = "a1" }, now, Ct);
        Assert.Single(await store.ClaimAsync(new ClaimRequest("test-worker", 1, TimeSpan.FromMinutes(5)), now, Ct));

        using var response = await Http.DeleteAsync("/api/admin/queues/videos/jobs/a1", Ct);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "Job is running");
        Assert.Equal(JobState.Active, (await store.GetAsync("a1", Ct))!.State);
    }

    [Fact]
    public async Task PauseThenResume_FlipsThePausedFlagInTheStore()
    {
        using var paused = await Http.PostAsync("/api/admin/queues/videos/pause", null, Ct);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await paused.JsonAsync()).GetProperty("paused").GetBoolean());
        Assert.True(await _host.Store().IsPausedAsync(Ct));
        Assert.True((await GetJsonAsync("/api/admin/queues/videos")).GetProperty("paused").GetBoolean());

        using var resumed = await Http.PostAsync("/api/admin/queues/videos/resume", null, Ct);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.False((await resumed.JsonAsync()).GetProperty("paused").GetBoolean());
        Assert.False(await _host.Store().IsPausedAsync(Ct));
    }

    [Fact]
    public async Task Workers_ListsWhatTheDirectoryHolds()
    {
        var directory = _host.Services.GetRequiredService<IWorkerDirectory>();
        var now = TimeProvider.System.GetUtcNow();
        await directory.AnnounceAsync(
            new WorkerInfo { WorkerId = "remote-1", Queue = "videos", Host = "box-2", ProcessId = 77, StartedAt = now.AddMinutes(-1), Concurrency = 16, RunningJobs = 5, LastHeartbeat = now },
            TimeSpan.FromMinutes(1),
            Ct);

        var body = await GetJsonAsync("/api/admin/workers");

        var worker = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal("remote-1", worker.GetProperty("workerId").GetString());
        Assert.Equal("videos", worker.GetProperty("queue").GetString());
        Assert.Equal("box-2", worker.GetProperty("host").GetString());
        Assert.Equal(77, worker.GetProperty("processId").GetInt32());
        Assert.Equal(16, worker.GetProperty("concurrency").GetInt32());
        Assert.Equal(5, worker.GetProperty("runningJobs").GetInt32());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), worker.GetProperty("lastHeartbeat").GetDateTimeOffset());
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        return await response.JsonAsync();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }
}
