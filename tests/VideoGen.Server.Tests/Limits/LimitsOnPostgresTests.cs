using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Limits;

/// <summary>
/// The same rules on PostgreSQL: the idempotency claim (the table's primary key) lets one of several identical requests
/// run, and the budget reads decimal spend. Needs VIDEOGEN_TEST_POSTGRES (scripts/test.sh sets it); skipped locally
/// without it, a failure under CI=true.
/// </summary>
public sealed class LimitsOnPostgresTests
{
    [Fact]
    public async Task OnPostgres_IdenticalRequestsMakeOneVideo_AndTheBudgetRefuses()
    {
        var baseConnection = Environment.GetEnvironmentVariable("VIDEOGEN_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(baseConnection))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail("VIDEOGEN_TEST_POSTGRES is not set; scripts/test.sh starts PostgreSQL and sets it.");
            }
            Assert.Skip("VIDEOGEN_TEST_POSTGRES is not set (PostgreSQL not started).");
        }
        var connection = new NpgsqlConnectionStringBuilder(baseConnection) { Database = $"videogen_test_{Guid.NewGuid():N}" }.ConnectionString;
        var factory = await LimitsSupport.AccountsServerAsync(new()
        {
            ["VideoGen:Database:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = connection,
            ["VideoGen:Providers:Fal:Key"] = "test-key-0123456789:not-a-real-secret",
            ["VideoGen:Limits:DailyBudgetUsd"] = "0.75",
        });
        try
        {
            var (id, user) = await factory.UserAsync("a@example.com");
            using var start = new ManualResetEventSlim();
            var requests = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                start.Wait(TestContext.Current.CancellationToken);
                using var response = await user.SubmitAsync("the same fox", "fal-ai/minimax/video-01", "pg-at-once");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            })).ToList();
            start.Set();
            var answers = await Task.WhenAll(requests);
            using var overBudget = await user.SubmitAsync("another fox", "fal-ai/minimax/video-01");

            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
            Assert.Single(answers.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetString()).Distinct());
            Assert.Equal(HttpStatusCode.TooManyRequests, overBudget.StatusCode);
            Assert.Equal(0.5m, (await overBudget.JsonAsync()).GetProperty("pendingUsd").GetDecimal());
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.True(db.Database.IsNpgsql());
            Assert.Equal(1, await db.Videos.CountAsync(v => v.UserId == id, TestContext.Current.CancellationToken));
        }
        finally
        {
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.EnsureDeletedAsync(CancellationToken.None);
            }
            await factory.DisposeAsync();
        }
    }
}
