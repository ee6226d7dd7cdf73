using System.Net;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

/// <summary>
/// The answers after which a caller cannot know whether fal created (and will bill) its request: a gateway's 5xx
/// after acceptance (fal's JSON or an HTML page, any 5xx status such as 502 or Cloudflare's 520–524), and an answer
/// held back until the caller times out. The request is accepted and counted in each case.
/// </summary>
public sealed class AcceptedThenFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(502)]
    [InlineData(520)]
    [InlineData(524)]
    public async Task ServerErrorAfterAccept_AcceptsTheRequest_ThenAnswersTheConfiguredStatusAsHtml(int status)
    {
        await using var fal = await FakeFalHost.StartAsync(
            "--FakeFal:Faults:Routes:submit:ServerErrorRate=1",
            $"--FakeFal:Faults:Routes:submit:ServerErrorStatusCodes:0={status}",
            "--FakeFal:Faults:Routes:submit:ServerErrorBody=html",
            "--FakeFal:Faults:Routes:submit:ServerErrorAfterAccept=true");

        using var response = await fal.SendSubmitAsync(idempotencyKey: "video-1");
        var body = await response.Content.ReadAsStringAsync(Ct);

        var stats = await fal.StatsAsync();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("x-fal-request-id"));
        Assert.Equal(1, (int)stats["submissions"]!["by_idempotency_key"]!["video-1"]!);
        Assert.Equal(1, (int)stats["faults"]!["submit.server_error_after_accept"]!);
    }

    [Fact]
    public async Task ServerErrorWithoutAcceptAfter_IsFalsJson_AndAcceptsNothing()
    {
        await using var fal = await FakeFalHost.StartAsync(
            "--FakeFal:Faults:Routes:submit:ServerErrorRate=1",
            "--FakeFal:Faults:Routes:submit:ServerErrorStatusCodes:0=503");

        using var response = await fal.SendSubmitAsync(idempotencyKey: "video-1");
        var body = await FakeFalHost.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Upstream service unavailable.", (string)body["detail"]!);
        Assert.Equal(0, (int)(await fal.StatsAsync())["submissions"]!["total"]!);
    }

    [Fact]
    public async Task Stall_AcceptsTheRequest_ThenHoldsTheAnswerPastTheCallersTimeout()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:Routes:submit:StallRate=1", "--FakeFal:Faults:Routes:submit:StallDelay=00:00:30");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        using var message = new HttpRequestMessage(HttpMethod.Post, FakeFalHost.Model)
        {
            Content = new StringContent("""{"prompt":"a red fox in snow"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("X-Idempotency-Key", "video-1");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fal.Client.SendAsync(message, timeout.Token));

        var stats = await fal.StatsAsync();
        Assert.Equal(1, (int)stats["submissions"]!["by_idempotency_key"]!["video-1"]!);
        Assert.Equal(1, (int)stats["faults"]!["submit.stall"]!);
    }
}
