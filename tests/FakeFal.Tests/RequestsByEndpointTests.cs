using System.Net;
using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

/// <summary>fal's platform API "list requests by endpoint" (<c>GET /v1/models/requests/by-endpoint</c>) as FakeFal serves it.</summary>
public sealed class RequestsByEndpointTests
{
    private const string Path = "v1/models/requests/by-endpoint";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EndedRequest_IsListed_WithItsInput_OnlyWhenPayloadsAreExpanded()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var input = new JsonObject { ["prompt"] = "a heron", ["seed"] = 7 };
        var submitted = await fal.SubmitAsync(input);
        await fal.WaitCompletedAsync(submitted);
        var id = (string)submitted["request_id"]!;

        var withPayloads = await ListAsync(fal, $"endpoint_id={Uri.EscapeDataString(FakeFalHost.Model)}&expand=payloads");
        var plain = await ListAsync(fal, $"endpoint_id={Uri.EscapeDataString(FakeFalHost.Model)}");

        var item = Assert.Single(withPayloads["items"]!.AsArray())!.AsObject();
        Assert.Equal(id, (string?)item["request_id"]);
        Assert.Equal(FakeFalHost.Model, (string?)item["endpoint_id"]);
        Assert.Equal(200, (int)item["status_code"]!);
        Assert.True(JsonNode.DeepEquals(input, item["json_input"]), item.ToJsonString());
        Assert.NotNull(item["json_output"]?["video"]);
        Assert.NotNull(item["sent_at"]);
        Assert.NotNull(item["ended_at"]);
        Assert.False((bool)withPayloads["has_more"]!);
        var bare = Assert.Single(plain["items"]!.AsArray())!.AsObject();
        Assert.False(bare.ContainsKey("json_input"));
    }

    [Fact]
    public async Task RequestStillRunning_OrOfAnotherEndpoint_OrSentBeforeStart_IsNotListed()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:InProgress=00:01:00");
        await fal.SubmitAsync();
        var other = await fal.SubmitAsync(model: "fal-ai/other-app/text-to-video");
        var future = Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddMinutes(5).ToString("O"));

        var running = await ListAsync(fal, $"endpoint_id={Uri.EscapeDataString(FakeFalHost.Model)}&expand=payloads");
        var later = await ListAsync(fal, $"endpoint_id={Uri.EscapeDataString(FakeFalHost.Model)}&start={future}");

        Assert.Empty(running["items"]!.AsArray());
        Assert.Empty(later["items"]!.AsArray());
        Assert.NotNull(other["request_id"]);
    }

    [Fact]
    public async Task Pages_FollowTheCursor_NewestEndFirst()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var first = await fal.SubmitAsync(new JsonObject { ["prompt"] = "one" });
        await fal.WaitCompletedAsync(first);
        var second = await fal.SubmitAsync(new JsonObject { ["prompt"] = "two" });
        await fal.WaitCompletedAsync(second);
        var endpoint = Uri.EscapeDataString(FakeFalHost.Model);

        var page1 = await ListAsync(fal, $"endpoint_id={endpoint}&limit=1");
        var page2 = await ListAsync(fal, $"endpoint_id={endpoint}&limit=1&cursor={Uri.EscapeDataString((string)page1["next_cursor"]!)}");

        Assert.Equal((string?)second["request_id"], (string?)page1["items"]![0]!["request_id"]);
        Assert.True((bool)page1["has_more"]!);
        Assert.Equal((string?)first["request_id"], (string?)page2["items"]![0]!["request_id"]);
        Assert.False((bool)page2["has_more"]!);
        Assert.Null(page2["next_cursor"]);
    }

    [Fact]
    public async Task WithoutKey_Is401_AndWithoutEndpoint_Is422()
    {
        await using var fal = await FakeFalHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(fal.BaseUrl + "/") };

        using var unauthorized = await anonymous.GetAsync($"{Path}?endpoint_id=fal-ai/x", Ct);
        using var missing = await fal.Client.GetAsync(Path, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
    }

    private static async Task<JsonObject> ListAsync(FakeFalHost fal, string query)
    {
        using var response = await fal.Client.GetAsync($"{Path}?{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await FakeFalHost.ReadObjectAsync(response);
    }
}
