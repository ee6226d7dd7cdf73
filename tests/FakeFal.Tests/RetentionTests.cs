using System.Net;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class RetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompletedRequest_AfterRetentionWindow_Is404OnStatusAndResult()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Retention:Window=00:00:03");
        var submitted = await fal.SubmitAsync();
        await fal.WaitCompletedAsync(submitted);
        using (var fresh = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        await Eventually.TrueAsync(async () =>
        {
            using var status = await fal.Client.GetAsync((string)submitted["status_url"]!, Ct);
            return status.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(10), "the status URL to answer 404 after the retention window");
        using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);
        Assert.Equal(HttpStatusCode.NotFound, result.StatusCode);
    }

    [Fact]
    public async Task LargeOutput_UsesTheShorterWindow()
    {
        await using var fal = await FakeFalHost.StartAsync(
            "--FakeFal:Retention:Window=01:00:00",
            "--FakeFal:Retention:LargeOutputWindow=00:00:01",
            "--FakeFal:Retention:LargeOutputBytes=10");
        var submitted = await fal.SubmitAsync();
        await fal.WaitCompletedAsync(submitted);

        await Eventually.TrueAsync(async () =>
        {
            using var result = await fal.Client.GetAsync((string)submitted["response_url"]!, Ct);
            return result.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(10), "a large output to expire after the short window");
    }

    [Fact]
    public async Task ExpireControlCall_MakesTheRequest404AtOnce()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var submitted = await fal.SubmitAsync();

        using var expire = await fal.Client.PostAsync($"_fake/requests/{submitted["request_id"]}/expire", null, Ct);
        using var status = await fal.Client.GetAsync((string)submitted["status_url"]!, Ct);

        Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }
}
