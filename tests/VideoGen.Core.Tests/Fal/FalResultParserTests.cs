using System.Text.Json;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

public sealed class FalResultParserTests
{
    private static ProviderResult Parse(string json, bool allowLoopback = false)
    {
        using var doc = JsonDocument.Parse(json);
        return FalResultParser.Parse(doc.RootElement, allowLoopback);
    }

    [Theory]
    [InlineData("""{"video":{"url":"https://v3.fal.media/a.mp4","content_type":"video/mp4"},"seed":1}""")]
    [InlineData("""{"videos":[{"url":"https://v3.fal.media/a.mp4","content_type":"video/mp4"}]}""")]
    [InlineData("""{"data":{"video":{"url":"https://v3.fal.media/a.mp4","content_type":"video/mp4"}}}""")]
    public void Parse_KnownShapes_FindTheVideo(string json)
    {
        var result = Parse(json);

        Assert.Equal(new Uri("https://v3.fal.media/a.mp4"), result.VideoUrl);
        Assert.Equal("video/mp4", result.ContentType);
    }

    [Fact]
    public void Parse_BareVideoUrl_IsAccepted()
    {
        Assert.Equal(new Uri("https://v3.fal.media/b.mp4"), Parse("""{"video_url":"https://v3.fal.media/b.mp4"}""").VideoUrl);
    }

    [Theory]
    [InlineData("""{"images":[{"url":"https://v3.fal.media/a.png"}]}""")]
    [InlineData("""{"video":{"url":"http://v3.fal.media/a.mp4"}}""")]
    [InlineData("""{"video":{"url":"file:///etc/passwd"}}""")]
    public void Parse_NoUsableVideo_IsPermanent(string json)
    {
        var ex = Assert.Throws<ProviderException>(() => Parse(json));

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal(FalErrorTypes.NoVideo, ex.ErrorType);
    }

    [Fact]
    public void Parse_LoopbackHttp_OnlyWhenAllowed()
    {
        const string json = """{"video":{"url":"http://127.0.0.1:5000/files/a.mp4"}}""";

        Assert.Throws<ProviderException>(() => Parse(json));
        Assert.Equal("127.0.0.1", Parse(json, allowLoopback: true).VideoUrl.Host);
    }
}
