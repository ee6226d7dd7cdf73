using FakeFal.Queue;

namespace FakeFal.Tests;

public sealed class EndpointPathTests
{
    [Theory]
    [InlineData("fal-ai/kling-video/v2.1/standard/text-to-video", "fal-ai/kling-video")]
    [InlineData("fal-ai/ltx-video", "fal-ai/ltx-video")]
    [InlineData("workflows/acme/my-flow/run", "workflows/acme/my-flow")]
    [InlineData("comfy/acme/graph", "comfy/acme/graph")]
    public void AppId_IsTheFirstTwoSegments_OrThreeForNamespaces(string model, string app)
        => Assert.Equal(app, EndpointPath.AppId(model));

    [Theory]
    [InlineData("fal-ai")]
    [InlineData("fal-ai//x")]
    [InlineData("workflows/acme")]
    public void IsValidModelId_RejectsIdsWithoutAnApp(string model)
        => Assert.False(EndpointPath.IsValidModelId(model));

    [Theory]
    [InlineData("fal-ai/kling-video/requests/abc/status", "fal-ai/kling-video", "abc", "status")]
    [InlineData("fal-ai/kling-video/requests/abc/status/stream", "fal-ai/kling-video", "abc", "status/stream")]
    [InlineData("fal-ai/kling-video/requests/abc", "fal-ai/kling-video", "abc", "")]
    [InlineData("fal-ai/kling-video/requests/abc/cancel", "fal-ai/kling-video", "abc", "cancel")]
    public void TryParseRequestPath_SplitsAppIdAndAction(string path, string app, string id, string action)
    {
        Assert.True(EndpointPath.TryParseRequestPath(path, out var a, out var i, out var act));
        Assert.Equal((app, id, action), (a, i, act));
    }

    [Theory]
    [InlineData("fal-ai/kling-video/v2.1/requests/abc/status")]
    [InlineData("fal-ai/kling-video/requests/abc/logs")]
    [InlineData("fal-ai/kling-video/requests")]
    public void TryParseRequestPath_RejectsOtherShapes(string path)
        => Assert.False(EndpointPath.TryParseRequestPath(path, out _, out _, out _));
}
