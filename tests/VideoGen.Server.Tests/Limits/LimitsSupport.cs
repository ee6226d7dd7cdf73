using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Accounts;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Limits;

/// <summary>Accounts-mode servers and helpers for the limits, tiers and idempotency tests.</summary>
internal static class LimitsSupport
{
    /// <summary>A server in accounts mode with an admin already created (so single-user mode is off), workers off unless a recorder is given.</summary>
    public static async Task<VideoGenFactory> AccountsServerAsync(Dictionary<string, string?>? settings = null, StartRecorder? recorder = null, int concurrency = 1)
    {
        var factory = new VideoGenFactory
        {
            WorkersEnabled = false,
            TestServices = recorder is null ? null : StartRecorder.Services(recorder, concurrency),
        };
        foreach (var (key, value) in settings ?? [])
        {
            factory.Settings[key] = value;
        }
        await factory.CreateUserAsync("admin@example.com", admin: true);
        return factory;
    }

    /// <summary>A new non-admin user with an API key: their id and a client using the key.</summary>
    public static async Task<(string Id, HttpClient Client)> UserAsync(this VideoGenFactory factory, string email)
    {
        var id = await factory.CreateUserAsync(email);
        using var signedIn = await factory.SignedInClientAsync(email);
        return (id, factory.ApiKeyClient((await signedIn.CreateApiKeyAsync()).Key));
    }

    public static async Task<HttpClient> AdminAsync(this VideoGenFactory factory)
    {
        using var signedIn = await factory.SignedInClientAsync("admin@example.com");
        return factory.ApiKeyClient((await signedIn.CreateApiKeyAsync()).Key);
    }

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient http, string prompt, string? model = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/videos")
        {
            Content = new StringContent(model is null ? JsonSerializer.Serialize(new { prompt }) : JsonSerializer.Serialize(new { prompt, model }), System.Text.Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Submits and expects 202; returns the new video's id.</summary>
    public static async Task<string> SubmitOkAsync(this HttpClient http, string prompt, string? model = null)
    {
        using var response = await http.SubmitAsync(prompt, model);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /api/videos answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> PutJsonAsync(this HttpClient http, string path, object body) =>
        await http.PutAsync(path, new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    /// <summary>The user's videos in the app database.</summary>
    public static async Task<List<Video>> VideosOfAsync(this VideoGenFactory factory, string userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Videos.AsNoTracking().Where(v => v.UserId == userId).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Jobs in the videos queue, all states.</summary>
    public static async Task<long> JobCountAsync(this VideoGenFactory factory)
    {
        var counts = await factory.Services.GetRequiredService<VideoJobs>().Queue.CountsAsync(TestContext.Current.CancellationToken);
        return counts.Values.Sum();
    }

    /// <summary>Adds a row as if the pipeline had submitted (and charged) it.</summary>
    public static async Task AddSpentVideoAsync(this VideoGenFactory factory, string userId, decimal spent, DateTimeOffset submittedAt, VideoStatus status = VideoStatus.Succeeded)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Videos.Add(new Video
        {
            Id = Guid.NewGuid().ToString("N"),
            UserId = userId,
            Prompt = "spent",
            Model = "local/preview",
            Status = status,
            EstimatedCostUsd = spent,
            SpentCostUsd = spent,
            SubmittedAt = submittedAt,
            CreatedAt = submittedAt,
            UpdatedAt = submittedAt,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public static Task<JobInfo?> JobAsync(this VideoGenFactory factory, string id) =>
        factory.Services.GetRequiredService<VideoJobs>().Queue.GetAsync(id, TestContext.Current.CancellationToken);

    public static string LocalOwnerId => LocalOwner.Id;
}
