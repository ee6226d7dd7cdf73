using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Providers;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>
/// <c>POST /api/videos/{id}/retry</c> (failed or canceled videos run again in place) and <c>POST /api/videos/estimate</c>
/// (the price of a model and options before anything is stored). Workers are off, so a retried video stays queued.
/// </summary>
public sealed class RetryAndEstimateTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    private async Task<string> CreateAsync(string prompt = "a fox") => (await Http.CreateVideoAsync(prompt)).GetProperty("id").GetString()!;

    private async Task<Video> RowAsync(string id) => (await Factory.VideosInDatabaseAsync()).Single(v => v.Id == id);

    private async Task UpdateAsync(string id, Action<Video> change)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var video = await db.Videos.SingleAsync(v => v.Id == id, TestContext.Current.CancellationToken);
        change(video);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private async Task<JobState?> JobStateAsync(string id) =>
        (await Factory.Services.GetRequiredService<VideoJobs>().Queue.GetAsync(id, TestContext.Current.CancellationToken))?.State;

    [Fact]
    public async Task Retry_CanceledVideo_IsQueuedAgainWithItsJobWaiting()
    {
        var id = await CreateAsync();
        using (var cancel = await Http.PostAsync($"/api/videos/{id}/cancel"))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        using var response = await Http.PostAsync($"/api/videos/{id}/retry");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/videos/{id}", response.Headers.Location?.OriginalString);
        var video = await response.JsonAsync();
        Assert.Equal("queued", video.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, video.GetProperty("error").ValueKind);
        var row = await RowAsync(id);
        Assert.Equal(VideoStatus.Queued, row.Status);
        Assert.Null(row.CancelRequestedAt);
        Assert.Null(row.CompletedAt);
        Assert.Equal(JobState.Waiting, await JobStateAsync(id));
    }

    [Fact]
    public async Task Retry_CanceledVideoWhoseProviderCancelWasAnswered_StartsWithoutTheOldRequest()
    {
        var id = await CreateAsync();
        using (await Http.PostAsync($"/api/videos/{id}/cancel"))
        {
        }
        await UpdateAsync(id, v =>
        {
            v.Provider = "local";
            v.ProviderRequestId = "old-request";
            v.SubmittedAt = v.CreatedAt;
            v.ProviderCanceledAt = v.CreatedAt;
            v.Progress = 0.4;
            v.LogsExcerpt = "old log";
        });

        using var response = await Http.PostAsync($"/api/videos/{id}/retry");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var row = await RowAsync(id);
        Assert.Equal(VideoStatus.Queued, row.Status);
        Assert.Null(row.Provider);
        Assert.Null(row.ProviderRequestId);
        Assert.Null(row.ProviderCanceledAt);
        Assert.Null(row.SubmittedAt);
        Assert.Null(row.Progress);
        Assert.Null(row.LogsExcerpt);
    }

    [Fact]
    public async Task Retry_FailedVideoNeverSubmitted_IsQueuedAgain()
    {
        var id = await CreateAsync();
        await UpdateAsync(id, v =>
        {
            v.Status = VideoStatus.Failed;
            v.Error = "The render failed.";
            v.ErrorType = "render_failed";
            v.CompletedAt = v.CreatedAt;
        });

        using var response = await Http.PostAsync($"/api/videos/{id}/retry");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("queued", (await response.JsonAsync()).GetProperty("status").GetString());
        var row = await RowAsync(id);
        Assert.Equal(VideoStatus.Queued, row.Status);
        Assert.Null(row.Error);
        Assert.Null(row.CompletedAt);
    }

    [Fact]
    public async Task Retry_FailedVideoWhoseSubmitOutcomeIsUnknown_Returns409AndChangesNothing()
    {
        var id = await CreateAsync();
        await UpdateAsync(id, v =>
        {
            v.Status = VideoStatus.Failed;
            v.ErrorType = ProviderErrorTypes.SubmitOutcomeUnknown;
            v.CompletedAt = v.CreatedAt;
        });

        using var response = await Http.PostAsync($"/api/videos/{id}/retry");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("pay twice", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(VideoStatus.Failed, (await RowAsync(id)).Status);
    }

    [Fact]
    public async Task Retry_UnfinishedVideo_Returns409()
    {
        var id = await CreateAsync();

        using var response = await Http.PostAsync($"/api/videos/{id}/retry");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"Video {id} is queued; only failed or canceled videos can be retried.", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Retry_UnknownVideo_Returns404()
    {
        using var response = await Http.PostAsync("/api/videos/0123456789abcdef0123456789abcdef/retry");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"model":"local/preview"}""", 0)]
    [InlineData("""{"model":"local/preview","parameters":{"duration":9,"aspect_ratio":"1:1"},"prompt":"ignored"}""", 0)]
    [InlineData("""{}""", 0)]
    public async Task Estimate_ValidOptions_ReturnsThePrice(string body, decimal expected)
    {
        using var response = await Http.PostJsonAsync("/api/videos/estimate", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var estimate = await response.JsonAsync();
        Assert.Equal("local/preview", estimate.GetProperty("model").GetString());
        Assert.Equal(expected, estimate.GetProperty("estimatedCostUsd").GetDecimal());
    }

    [Theory]
    [InlineData("""{"model":"no/such-model"}""", "model")]
    [InlineData("""{"model":"local/preview","parameters":{"duration":11}}""", "parameters.duration")]
    [InlineData("""{"model":"local/preview","parameters":{"fps":30}}""", "parameters.fps")]
    [InlineData("""{"model":"local/preview","colour":"red"}""", "colour")]
    public async Task Estimate_BadModelOrOptions_Returns400NamingTheField(string body, string field)
    {
        using var response = await Http.PostJsonAsync("/api/videos/estimate", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }
}
