using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class StatusStreamTests
{
    [Fact]
    public async Task StatusStream_SendsEachStateAsSseData_AndClosesAfterCompleted()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Queue:QueueDelay=00:00:00.500", "--FakeFal:Queue:InProgress=00:00:01");
        var submitted = await fal.SubmitAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{submitted["status_url"]}/stream?logs=1");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await fal.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30));
        var text = await response.Content.ReadAsStringAsync(cts.Token); // returns only when the server closes the stream

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => JsonNode.Parse(e["data: ".Length..])!)
            .ToList();
        var states = events.Select(e => (string)e["status"]!).Distinct().ToList();
        Assert.Equal(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"], states);
        Assert.Equal("COMPLETED", (string?)events[^1]["status"]);
        Assert.NotEmpty(events[^1]["logs"]!.AsArray());
        Assert.Equal((string?)submitted["response_url"], (string?)events[^1]["response_url"]);
    }
}
