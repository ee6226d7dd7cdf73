using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class FaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerErrorFault_OnStatusOnly_Answers5xxThereAndLeavesSubmitAlone()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:Routes:status:ServerErrorRate=1");
        var submitted = await fal.SubmitAsync();

        using var status = await fal.Client.GetAsync((string)submitted["status_url"]!, Ct);

        Assert.Contains((int)status.StatusCode, new[] { 500, 502, 503 });
        Assert.Equal("true", status.Headers.GetValues("X-Fal-Retryable").Single());
        Assert.Equal(1, (int)(await fal.StatsAsync())["faults"]!["status.server_error"]!);
    }

    [Fact]
    public async Task RateLimitFault_Answers429WithRetryAfter_AndAcceptsNothing()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:RateLimitRate=1", "--FakeFal:Faults:RetryAfterSeconds=7");

        using var response = await fal.SendSubmitAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
        Assert.Equal(0, (int)(await fal.StatsAsync())["submissions"]!["total"]!);
    }

    [Fact]
    public async Task SlowFault_DelaysTheAnswer()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:SlowRate=1", "--FakeFal:Faults:SlowDelay=00:00:01.500");
        var started = TimeProvider.System.GetTimestamp();

        using var response = await fal.SendSubmitAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(1.4), "the answer was not delayed");
    }

    [Fact]
    public async Task DropFault_OnSubmit_AbortsTheConnectionAfterAcceptingTheRequest()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:Routes:submit:DropRate=1");

        await Assert.ThrowsAsync<HttpRequestException>(() => fal.SendSubmitAsync(idempotencyKey: "video-1"));

        var stats = await fal.StatsAsync();
        Assert.Equal(1, (int)stats["submissions"]!["by_idempotency_key"]!["video-1"]!);
        Assert.Equal(1, (int)stats["faults"]!["submit.drop"]!);
    }

    [Fact]
    public async Task MalformedJsonFault_OnSubmit_ReturnsUnparseableJsonForAnAcceptedRequest()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:Routes:submit:MalformedJsonRate=1");

        using var response = await fal.SendSubmitAsync();
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonNode.Parse(text));
        Assert.Equal(1, (int)(await fal.StatsAsync())["submissions"]!["total"]!);
    }

    [Fact]
    public async Task ValidationFault_Answers422AtSubmit_AndAcceptsNothing()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:ValidationErrorRate=1");

        using var response = await fal.SendSubmitAsync();
        var body = await FakeFalHost.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(new[] { "body", "prompt" }, body["detail"]![0]!["loc"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(0, (int)(await fal.StatsAsync())["submissions"]!["total"]!);
    }

    [Fact]
    public async Task ErrorResultFault_CompletesWithErrorAndTheResponseUrlAnswers422()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:ErrorResultRate=1");
        var submitted = await fal.SubmitAsync();

        var completed = await fal.WaitCompletedAsync(submitted);
        using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);
        var body = await FakeFalHost.ReadObjectAsync(result);

        Assert.Equal("content_policy_violation", (string?)completed["error_type"]);
        Assert.False(string.IsNullOrEmpty((string?)completed["error"]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, result.StatusCode);
        Assert.Equal("false", result.Headers.GetValues("X-Fal-Retryable").Single());
        Assert.Equal("content_policy_violation", (string?)body["detail"]![0]!["type"]);
    }

    [Fact]
    public async Task ExpireFault_MakesStatusAnswer404()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:ExpireRate=1");
        var submitted = await fal.SubmitAsync();

        using var status = await fal.Client.GetAsync((string)submitted["status_url"]!, Ct);

        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(1, (int)(await fal.StatsAsync())["faults"]!["status.expire"]!);
    }

    [Fact]
    public async Task DropFault_OnStatus_AbortsTheConnection()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync();
        await fal.ConfigureAsync(new JsonObject { ["faults"] = new JsonObject { ["routes"] = new JsonObject { ["status"] = new JsonObject { ["dropRate"] = 1 } } } });

        await Assert.ThrowsAsync<HttpRequestException>(() => fal.Client.GetAsync((string)submitted["status_url"]!, Ct));
    }

    [Fact]
    public async Task FaultsSetAtRuntime_ApplyAtOnce_AndResetRestoresTheConfiguredOnes()
    {
        await using var fal = await FakeFalHost.StartAsync();
        await fal.ConfigureAsync(new JsonObject { ["faults"] = new JsonObject { ["serverErrorRate"] = 1.0 } });
        using (var failing = await fal.SendSubmitAsync())
        {
            Assert.True((int)failing.StatusCode >= 500);
        }

        using (var reset = await fal.Client.PostAsync("_fake/reset", null, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using var ok = await fal.SendSubmitAsync();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var config = JsonNode.Parse(await fal.Client.GetStringAsync("_fake/config", Ct))!;
        Assert.Null(config["faults"]!["serverErrorRate"]);
    }

    [Fact]
    public async Task ConfigPatch_WithInvalidValues_Is400AndChangesNothing()
    {
        await using var fal = await FakeFalHost.StartAsync();

        using var response = await fal.Client.PostAsync("_fake/config", new StringContent("{\"queue\":{\"slots\":0}}", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var config = JsonNode.Parse(await fal.Client.GetStringAsync("_fake/config", Ct))!;
        Assert.Equal(10, (int)config["queue"]!["slots"]!);
    }
}
