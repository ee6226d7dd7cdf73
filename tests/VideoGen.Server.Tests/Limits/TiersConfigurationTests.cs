using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoGen.Server.Hosting;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Limits;

/// <summary>Tiers from configuration: built-in ones changed, new ones added with their own limits; bad tier settings stop the start.</summary>
public sealed class TiersConfigurationTests
{
    [Fact]
    public async Task ConfiguredTiers_ChangeAndAddTiers_AndATiersLimitsApplyToItsUsers()
    {
        await using var factory = await LimitsSupport.AccountsServerAsync(new()
        {
            ["VideoGen:Tiers:pro:Priority"] = "15",
            ["VideoGen:Tiers:studio:Priority"] = "20",
            ["VideoGen:Tiers:studio:MaxActiveVideos"] = "0",
            ["VideoGen:Tiers:studio:DailyBudgetUsd"] = "250",
        });
        using var admin = await factory.AdminAsync();
        var (id, _) = await factory.UserAsync("a@example.com");

        using var set = await admin.PutJsonAsync($"/api/admin/users/{id}/limits", new { tier = "studio", submissionsPerMinute = 5 });
        using var unknown = await admin.PutJsonAsync($"/api/admin/users/{id}/limits", new { tier = "platinum" });
        using var list = await admin.GetAsync("/api/admin/users");
        var users = await list.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var limits = (await set.JsonAsync()).GetProperty("limits");
        Assert.Equal(("studio", 20), (limits.GetProperty("tier").GetString(), limits.GetProperty("priority").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, limits.GetProperty("maxActiveVideos").ValueKind);
        Assert.Equal(250m, limits.GetProperty("dailyBudgetUsd").GetDecimal());
        Assert.Equal(5, limits.GetProperty("submissionsPerMinute").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["studio:20", "pro:15", "free:0"],
            users.GetProperty("tiers").EnumerateArray().Select(t => $"{t.GetProperty("name").GetString()}:{t.GetProperty("priority").GetInt32()}"));
        Assert.Equal("free", users.GetProperty("defaultTier").GetString());
    }

    [Theory]
    [InlineData("VideoGen:Limits:DefaultTier", "gold", "VideoGen:Limits:DefaultTier 'gold' is not a configured tier")]
    [InlineData("VideoGen:Tiers:Gold Plan:Priority", "5", "VideoGen:Tiers:Gold Plan: a tier name is lowercase letters")]
    [InlineData("VideoGen:Tiers:gold:Priority", "5000", "VideoGen:Tiers:gold:Priority must be from -1000 to 1000.")]
    [InlineData("VideoGen:Limits:MaxActiveVideos", "-1", "VideoGen:Limits:MaxActiveVideos must be from 0 (unlimited)")]
    public async Task Start_InvalidTierOrLimit_FailsNamingTheKey(string key, string value, string expected)
    {
        using var dir = new TempDir();
        using var host = VideoGenHost.BuildWorker([$"--VideoGen:DataDir={dir.Path}", $"--{key}={value}"], runWorkers: false);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
