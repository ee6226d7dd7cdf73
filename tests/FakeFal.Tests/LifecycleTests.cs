using System.Net;
using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class LifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_ReturnsAbsoluteUrlsOnTheAppPathOfTheCallersHost()
    {
        await using var fal = await FakeFalHost.StartAsync();

        var submitted = await fal.SubmitAsync();

        var id = (string)submitted["request_id"]!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("IN_QUEUE", (string?)submitted["status"]);
        Assert.Equal(id, (string?)submitted["gateway_request_id"]);
        Assert.Equal(0, (int)submitted["queue_position"]!);
        Assert.Equal($"{fal.BaseUrl}/{FakeFalHost.App}/requests/{id}", (string?)submitted["response_url"]);
        Assert.Equal($"{fal.BaseUrl}/{FakeFalHost.App}/requests/{id}/status", (string?)submitted["status_url"]);
        Assert.Equal($"{fal.BaseUrl}/{FakeFalHost.App}/requests/{id}/cancel", (string?)submitted["cancel_url"]);
    }

    [Fact]
    public async Task Lifecycle_GoesQueuedInProgressCompleted_AndServesAPlayableMp4()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:InProgress=00:00:01");
        var submitted = await fal.SubmitAsync(new JsonObject { ["prompt"] = "a boat", ["seed"] = 42 });
        var seen = new HashSet<string>();
        JsonObject completed = new();
        await Eventually.TrueAsync(async () =>
        {
            var (code, body) = await fal.StatusAsync(submitted);
            var status = (string)body["status"]!;
            seen.Add(status);
            Assert.Equal(status == "COMPLETED" ? 200 : 202, code);
            completed = body;
            return status == "COMPLETED";
        }, TimeSpan.FromSeconds(30), "the request to complete");

        Assert.Contains("IN_PROGRESS", seen);
        var logs = completed["logs"]!.AsArray();
        Assert.Contains(logs, l => ((string)l!["message"]!).StartsWith("Generating video", StringComparison.Ordinal));
        Assert.All(logs, l => Assert.Equal("INFO", (string?)l!["level"]));
        Assert.True((double)completed["metrics"]!["inference_time"]! > 0);
        Assert.Null(completed["error"]);

        using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal((string?)submitted["request_id"], result.Headers.GetValues("x-fal-request-id").Single());
        var output = await FakeFalHost.ReadObjectAsync(result);
        Assert.Equal(42, (long)output["seed"]!);
        var video = output["video"]!;
        Assert.Equal("video/mp4", (string?)video["content_type"]);
        Assert.Equal("output.mp4", (string?)video["file_name"]);
        var url = (string)video["url"]!;
        Assert.StartsWith($"{fal.BaseUrl}/files/320x180-1s/", url, StringComparison.Ordinal);

        using var anonymous = new HttpClient();
        var bytes = await anonymous.GetByteArrayAsync(url, Ct);
        Assert.Equal((long)video["file_size"]!, bytes.Length);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(bytes, 4, 4));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        using var partial = await anonymous.SendAsync(ranged, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync(Ct)).Length);
        Assert.Equal("h264,320,180", await Ffprobe.StreamAsync(url));
    }

    [Fact]
    public async Task Result_BeforeCompletion_Is400StillInProgress()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:InProgress=00:00:30");
        var submitted = await fal.SubmitAsync();

        using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Equal("Request is still in progress", (string?)(await FakeFalHost.ReadObjectAsync(result))["detail"]);
    }

    [Fact]
    public async Task Status_WithoutLogsFlag_HasNullLogs()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync();
        await fal.WaitCompletedAsync(submitted);

        var (_, body) = await fal.StatusAsync(submitted, logs: false);

        Assert.Null(body["logs"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer abc")]
    [InlineData("Key ")]
    public async Task QueueRoutes_WithoutKeyAuthorization_Are401(string? authorization)
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync();
        using var anonymous = new HttpClient();
        foreach (var (method, url) in new[]
        {
            (HttpMethod.Post, $"{fal.BaseUrl}/{FakeFalHost.Model}"),
            (HttpMethod.Get, (string)submitted["status_url"]!),
            (HttpMethod.Get, (string)submitted["response_url"]!),
            (HttpMethod.Put, (string)submitted["cancel_url"]!),
        })
        {
            using var message = new HttpRequestMessage(method, url) { Content = method == HttpMethod.Get ? null : new StringContent("{}") };
            if (authorization is not null)
            {
                message.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await anonymous.SendAsync(message, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task UnknownRequestId_Is404OnStatusResultAndCancel()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var id = Guid.NewGuid();

        using var status = await fal.Client.GetAsync($"{FakeFalHost.App}/requests/{id}/status", Ct);
        using var result = await fal.Client.GetAsync($"{FakeFalHost.App}/requests/{id}", Ct);
        using var cancel = await fal.Client.PutAsync($"{FakeFalHost.App}/requests/{id}/cancel", null, Ct);

        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, result.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
    }

    [Fact]
    public async Task StatusUrl_RebuiltWithTheEndpointSubPath_Is404()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync();

        using var response = await fal.Client.GetAsync($"{FakeFalHost.Model}/requests/{submitted["request_id"]}/status", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Submit_WithNonObjectBody_Is422()
    {
        await using var fal = await FakeFalHost.StartAsync();
        using var response = await fal.Client.PostAsync(FakeFalHost.Model, new StringContent("[1,2]"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(0, (int)(await fal.StatsAsync())["submissions"]!["total"]!);
    }

    [Fact]
    public async Task Result_IsSizedFromResolutionAndAspectRatio()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync(new JsonObject { ["prompt"] = "tall", ["resolution"] = "480p", ["aspect_ratio"] = "9:16" });
        await fal.WaitCompletedAsync(submitted);

        using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);
        var video = (await FakeFalHost.ReadObjectAsync(result))["video"]!;

        Assert.Equal(480, (int)video["width"]!);
        Assert.Equal(852, (int)video["height"]!);
    }
}
