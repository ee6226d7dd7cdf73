using System.Text.Json.Nodes;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

public sealed class FalInputMapperTests
{
    private static JsonObject Map(string model, string? parameters = null, long? seed = null, string? image = null, string? negative = null) =>
        FalInputMapper.Map(FalModelCatalog.Find(model)!, new ProviderRequest("vid-1", model, "a cat", seed, parameters, image, negative, null));

    [Fact]
    public void Kling_DurationStaysString_CfgIsNumber_SeedDropped()
    {
        var input = Map(FalModelCatalog.KlingTextToVideo, """{"duration":10,"aspect_ratio":"9:16","cfg_scale":"0.7","unknown":1}""", seed: 7, negative: "blurry");

        Assert.Equal(
            """{"prompt":"a cat","negative_prompt":"blurry","duration":"10","aspect_ratio":"9:16","cfg_scale":0.7}""",
            input.ToJsonString());
    }

    [Fact]
    public void KlingImageToVideo_PassesImageUrl()
    {
        var input = Map(FalModelCatalog.KlingImageToVideo, image: "https://example.com/cat.png");

        Assert.Equal("https://example.com/cat.png", input["image_url"]!.GetValue<string>());
    }

    [Fact]
    public void KlingImageToVideo_WithoutImage_IsPermanentError()
    {
        var ex = Assert.Throws<ProviderException>(() => Map(FalModelCatalog.KlingImageToVideo));

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.StartsWith("image_url:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Veo3_SeedAndBooleanAudio()
    {
        var input = Map(FalModelCatalog.Veo3, """{"generate_audio":"false","duration":"6s"}""", seed: 42);

        Assert.Equal(42, input["seed"]!.GetValue<long>());
        Assert.False(input["generate_audio"]!.GetValue<bool>());
        Assert.Equal("6s", input["duration"]!.GetValue<string>());
    }

    [Fact]
    public void Wan_IntegerParameters_AreJsonNumbers()
    {
        var input = Map(FalModelCatalog.WanTextToVideo, """{"num_frames":"90","frames_per_second":16}""");

        Assert.Equal(90, input["num_frames"]!.GetValue<long>());
        Assert.Equal(16, input["frames_per_second"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"cfg_scale":1.5}""", "cfg_scale")]
    [InlineData("""{"duration":"7"}""", "duration")]
    [InlineData("""{"cfg_scale":"high"}""", "cfg_scale")]
    public void OutOfSchemaValues_ArePermanentErrorsNamingTheField(string parameters, string field)
    {
        var ex = Assert.Throws<ProviderException>(() => Map(FalModelCatalog.KlingTextToVideo, parameters));

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal(FalErrorTypes.Validation, ex.ErrorType);
        Assert.StartsWith(field + ":", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsStrings_ReadsJsonScalars()
    {
        var p = FalInputMapper.AsStrings("""{"duration":10,"generate_audio":false,"aspect_ratio":"1:1","x":null}""");

        Assert.Equal(new Dictionary<string, string> { ["duration"] = "10", ["generate_audio"] = "false", ["aspect_ratio"] = "1:1" }, p);
    }
}
