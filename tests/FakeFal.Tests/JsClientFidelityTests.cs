using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

/// <summary>
/// Fidelity proof: the official <c>@fal-ai/client</c> (pinned in js/package.json) runs
/// subscribe (polling and streaming), queue.submit/status/result/cancel, an error result and
/// storage uploads (<c>fal.storage.upload</c>, and a Blob in an input) against FakeFal, unmodified
/// except for a request middleware that swaps fal's hosts.
/// </summary>
public sealed class JsClientFidelityTests
{
    [Fact]
    public async Task OfficialJsClient_SubscribeQueueCancelAndErrors_WorkAgainstFakeFal()
    {
        NodeRunner.RequireNode();
        await NodeRunner.EnsurePackagesAsync();
        await using var hook = await WebhookReceiver.StartAsync();
        // A two-second queue delay keeps a fresh request IN_QUEUE long enough for the client to cancel it.
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:QueueDelay=00:00:02", "--FakeFal:Queue:InProgress=00:00:01");

        var (code, stdout, stderr) = await NodeRunner.RunAsync("node", ["fidelity.mjs"], new Dictionary<string, string>
        {
            ["FAKEFAL_URL"] = fal.BaseUrl,
            ["FAKEFAL_WEBHOOK_URL"] = hook.Url,
        }, TimeSpan.FromMinutes(2));

        Assert.True(code == 0, $"node fidelity.mjs failed ({code}):\n{stdout}\n{stderr}");
        var summary = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsObject();

        var subscribe = summary["subscribe"]!;
        Assert.Equal(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"], subscribe["statuses"]!.AsArray().Select(n => (string)n!));
        Assert.True((int)subscribe["maxLogs"]! > 0, "logs:true must deliver logs to onQueueUpdate");
        Assert.Equal(7, (int)subscribe["data"]!["seed"]!);
        Assert.Equal($"{fal.BaseUrl}/files/1280x720-1s/{subscribe["requestId"]}.mp4", (string?)subscribe["data"]!["video"]!["url"]);

        var stream = summary["stream"]!;
        Assert.Contains("COMPLETED", stream["statuses"]!.AsArray().Select(n => (string)n!));
        Assert.StartsWith($"{fal.BaseUrl}/files/", (string?)stream["url"], StringComparison.Ordinal);

        var queue = summary["queue"]!;
        var requestId = (string)queue["submitted"]!["request_id"]!;
        Assert.Equal("IN_QUEUE", (string?)queue["firstStatus"]);
        Assert.Equal("COMPLETED", (string?)queue["doneStatus"]);
        Assert.Equal(requestId, (string?)queue["resultRequestId"]);
        Assert.Equal($"{fal.BaseUrl}/fal-ai/kling-video/requests/{requestId}/status", (string?)queue["submitted"]!["status_url"]);

        Assert.Equal("COMPLETED", (string?)summary["cancel"]!["status"]);
        Assert.Equal("request_cancelled", (string?)summary["cancel"]!["error_type"]);

        var error = summary["error"]!;
        Assert.True((bool)error["thrown"]!);
        Assert.Equal("ValidationError", (string?)error["name"]);
        Assert.Equal(422, (int)error["status"]!);
        Assert.Equal("content_policy_violation", (string?)error["type"]);

        var storage = summary["storage"]!;
        var fileUrl = (string)storage["fileUrl"]!;
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(fal.BaseUrl)}/files/uploads/[0-9a-f]{{32}}/[0-9]+\\.png$", fileUrl);
        Assert.Equal(200, (int)storage["status"]!);
        Assert.Equal("image/png", (string?)storage["contentType"]);
        Assert.True((bool)storage["sameBytes"]!, "the file URL must serve the uploaded bytes");
        var imageRequest = await fal.RequestAsync((string)storage["imageRequestId"]!);
        var submittedImageUrl = (string)imageRequest["input"]!["image_url"]!;
        Assert.StartsWith($"{fal.BaseUrl}/files/uploads/", submittedImageUrl, StringComparison.Ordinal);
        Assert.NotEqual(fileUrl, submittedImageUrl);
        Assert.Equal(Convert.FromBase64String(Png), await fal.Client.GetByteArrayAsync(submittedImageUrl, TestContext.Current.CancellationToken));

        Assert.Equal(
            [
                "GET /fal-ai/kling-video/requests/{id}",
                "GET /fal-ai/kling-video/requests/{id}/status",
                "GET /fal-ai/kling-video/requests/{id}/status/stream",
                "POST /fal-ai/kling-video/v2.1/standard/image-to-video",
                "POST /fal-ai/kling-video/v2.1/standard/text-to-video",
                "POST /storage/upload/initiate",
                "PUT /fal-ai/kling-video/requests/{id}/cancel",
            ],
            summary["urls"]!.AsArray().Select(n => (string)n!));

        await Eventually.TrueAsync(() => hook.Received.Any(h => h.RequestId == requestId), TimeSpan.FromSeconds(30),
            "the webhook of the request submitted with webhookUrl");
        var stats = await fal.StatsAsync();
        Assert.Equal(6, (int)stats["submissions"]!["total"]!);
        Assert.Equal(2, (int)stats["storage"]!["initiated"]!);
        Assert.Equal(2, (int)stats["storage"]!["uploads"]!);
        Assert.Equal(2, (int)stats["storage"]!["files"]!);
        Assert.Equal(0, (int)stats["storage"]!["refused"]!);
    }

    /// <summary>The 1×1 PNG fidelity.mjs uploads.</summary>
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
}
