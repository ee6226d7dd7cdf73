using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Limits;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Limits;

/// <summary>
/// Per-user limits on <c>POST /api/videos</c>: max active videos, submissions per minute (ASP.NET Core's rate limiter,
/// 429 with Retry-After) and the daily budget (checked against the estimate before anything is queued). A refused
/// request stores and queues nothing; an admin's override changes one user's limit; admins are not limited.
/// </summary>
public sealed class SubmissionLimitsTests
{
    private const string FalKey = "test-key-0123456789:not-a-real-secret";

    /// <summary>fal's MiniMax Video-01: an estimated $0.50 a video.</summary>
    private const string HalfDollarModel = "fal-ai/minimax/video-01";

    [Fact]
    public async Task OverMaxActiveVideos_IsRefused_AndNothingIsStoredOrQueued()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync(new() { ["VideoGen:Limits:MaxActiveVideos"] = "2" });
        var (id, user) = await factory.UserAsync("a@example.com");
        await user.SubmitOkAsync("one");
        await user.SubmitOkAsync("two");

        using var third = await user.SubmitAsync("three");
        var problem = await third.JsonAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("maxActiveVideos", problem.GetProperty("limit").GetString());
        Assert.Equal(2, problem.GetProperty("maxActiveVideos").GetInt32());
        Assert.Equal(2, (await factory.VideosOfAsync(id)).Count);
        Assert.Equal(2, await factory.JobCountAsync());
    }

    [Fact]
    public async Task AdminOverride_RaisesOneUsersLimit_AndAdminsAreNotLimited()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync(new() { ["VideoGen:Limits:MaxActiveVideos"] = "1" });
        using var admin = await factory.AdminAsync();
        var (id, user) = await factory.UserAsync("a@example.com");
        await user.SubmitOkAsync("one");
        using (var refused = await user.SubmitAsync("two"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        using (var set = await admin.PutJsonAsync($"/api/admin/users/{id}/limits", new { maxActiveVideos = 3 }))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            Assert.Equal(3, (await set.JsonAsync()).GetProperty("limits").GetProperty("maxActiveVideos").GetInt32());
        }
        await user.SubmitOkAsync("two");
        await admin.SubmitOkAsync("admin one");
        await admin.SubmitOkAsync("admin two");

        Assert.Equal(2, (await factory.VideosOfAsync(id)).Count);
    }

    [Fact]
    public async Task OverSubmissionsPerMinute_Is429WithRetryAfter_PerUser()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync(new() { ["VideoGen:Limits:SubmissionsPerMinute"] = "3" });
        var (aId, a) = await factory.UserAsync("a@example.com");
        var (_, b) = await factory.UserAsync("b@example.com");
        for (var i = 0; i < 3; i++)
        {
            await a.SubmitOkAsync($"a {i}");
        }

        using var fourth = await a.SubmitAsync("a 4");
        var problem = await fourth.JsonAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        var retryAfter = int.Parse(fourth.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("submissionsPerMinute", problem.GetProperty("limit").GetString());
        Assert.Equal(3, problem.GetProperty("submissionsPerMinute").GetInt32());
        Assert.Equal(3, (await factory.VideosOfAsync(aId)).Count);
        // Another user's window is their own.
        await b.SubmitOkAsync("b 1");
    }

    [Fact]
    public async Task OverDailyBudget_IsRefusedNamingBudgetSpendAndReset_AndNothingIsStoredOrQueued()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync(new()
        {
            ["VideoGen:Providers:Fal:Key"] = FalKey,
            ["VideoGen:Limits:DailyBudgetUsd"] = "1.6",
        });
        var (id, user) = await factory.UserAsync("a@example.com");
        var now = TimeProvider.System.GetUtcNow();
        await factory.AddSpentVideoAsync(id, 0.25m, now);
        await factory.AddSpentVideoAsync(id, 5m, now.AddDays(-2));
        // $0.25 spent today + $1.00 reserved by the two below = $1.25; a third $0.50 would make $1.75 > $1.60.
        await user.SubmitOkAsync("one", HalfDollarModel);
        await user.SubmitOkAsync("two", HalfDollarModel);

        using var third = await user.SubmitAsync("three", HalfDollarModel);
        var problem = await third.JsonAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("dailyBudgetUsd", problem.GetProperty("limit").GetString());
        Assert.Equal(1.6m, problem.GetProperty("dailyBudgetUsd").GetDecimal());
        Assert.Equal(0.25m, problem.GetProperty("spentTodayUsd").GetDecimal());
        Assert.Equal(1.0m, problem.GetProperty("pendingUsd").GetDecimal());
        Assert.Equal(0.5m, problem.GetProperty("estimatedCostUsd").GetDecimal());
        var resetsAt = problem.GetProperty("resetsAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, resetsAt.TimeOfDay);
        Assert.InRange(resetsAt - now, TimeSpan.Zero, TimeSpan.FromDays(1));
        Assert.Contains("$1.60", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(third.Headers.RetryAfter is not null, "a refusal by budget says when to retry (the reset)");
        Assert.Equal(4, (await factory.VideosOfAsync(id)).Count);
        Assert.Equal(2, await factory.JobCountAsync());
        // A free local preview still fits.
        await user.SubmitOkAsync("free preview");
    }

    [Fact]
    public async Task Me_ShowsSpendTodayAndThisMonth_TierAndLimits()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync(new() { ["VideoGen:Limits:DailyBudgetUsd"] = "7.5" });
        var (id, user) = await factory.UserAsync("a@example.com");
        var now = TimeProvider.System.GetUtcNow();
        await factory.AddSpentVideoAsync(id, 0.75m, now);
        await user.SubmitOkAsync("waiting");

        using var response = await user.GetAsync("/api/account/me");
        var me = await response.JsonAsync();

        var spend = me.GetProperty("spend");
        Assert.Equal(0.75m, spend.GetProperty("todayUsd").GetDecimal());
        Assert.True(spend.GetProperty("monthUsd").GetDecimal() >= 0.75m);
        Assert.Equal(7.5m, spend.GetProperty("dailyBudgetUsd").GetDecimal());
        Assert.Equal(TimeSpan.Zero, spend.GetProperty("resetsAt").GetDateTimeOffset().TimeOfDay);
        var limits = me.GetProperty("limits");
        Assert.Equal("free", limits.GetProperty("tier").GetString());
        Assert.False(limits.GetProperty("exempt").GetBoolean());
        Assert.Equal(20, limits.GetProperty("maxActiveVideos").GetInt32());
        Assert.Equal(1, limits.GetProperty("activeVideos").GetInt32());
        Assert.Equal(30, limits.GetProperty("submissionsPerMinute").GetInt32());
    }

    [Fact]
    public async Task SpendLedger_SumsByUtcDayAndMonth_AndReservesUnsubmittedVideos()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync();
        var (id, _) = await factory.UserAsync("a@example.com");
        var now = new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);
        await factory.AddSpentVideoAsync(id, 1.25m, now.AddHours(-12));                       // today, 00:00 UTC
        await factory.AddSpentVideoAsync(id, 2m, now.AddHours(-12).AddTicks(-1));             // yesterday, this month
        await factory.AddSpentVideoAsync(id, 4m, new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero)); // last month
        await factory.AddSpentVideoAsync(id, 8m, now, Core.Videos.VideoStatus.Failed);          // paid, then failed: still spent
        var (other, _) = await factory.UserAsync("b@example.com");
        await factory.AddSpentVideoAsync(other, 16m, now);

        var spend = await factory.Services.GetRequiredService<SpendLedger>().ForAsync(id, now, TestContext.Current.CancellationToken);

        Assert.Equal(new Spend(9.25m, 11.25m, 0m, new DateTimeOffset(2026, 3, 16, 0, 0, 0, TimeSpan.Zero)), spend);
    }

    [Fact]
    public async Task RefusedRequest_WithIdempotencyKey_LeavesNoKeyBehind()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync(new() { ["VideoGen:Limits:MaxActiveVideos"] = "1" });
        var (id, user) = await factory.UserAsync("a@example.com");
        await user.SubmitOkAsync("one");

        using var refused = await user.SubmitAsync("two", idempotencyKey: "retry-me");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Single(await factory.VideosOfAsync(id));
        Assert.Equal(0, await IdempotencyTests.KeyCountAsync(factory));
    }
}
