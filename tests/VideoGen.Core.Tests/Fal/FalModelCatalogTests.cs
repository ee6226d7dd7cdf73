using VideoGen.Core.Models;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

public sealed class FalModelCatalogTests
{
    private static ModelInfo Model(string id) => FalModelCatalog.Find(id) ?? throw new InvalidOperationException(id);

    private static Dictionary<string, string> P(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Catalog_CoversTheRequiredModels_AllServedByFal()
    {
        string[] required =
        [
            FalModelCatalog.KlingTextToVideo, FalModelCatalog.KlingImageToVideo, FalModelCatalog.MiniMaxVideo01,
            FalModelCatalog.Veo3, FalModelCatalog.LtxVideo, FalModelCatalog.WanTextToVideo, FalModelCatalog.HunyuanVideo,
        ];

        Assert.All(required, id => Assert.Equal("fal", Model(id).Provider));
        Assert.Equal(FalModelCatalog.Models.Count, FalModelCatalog.Models.Select(m => m.Id).Distinct().Count());
        Assert.Equal(FalModelCatalog.Models.Select(m => m.Id), new FalModelSource().Models.Select(m => m.Id));
    }

    [Fact]
    public void Kling_TextToVideo_HasFalSchema()
    {
        var m = Model(FalModelCatalog.KlingTextToVideo);

        Assert.False(m.RequiresImage);
        Assert.False(m.AcceptsSeed);
        Assert.True(m.AcceptsNegativePrompt);
        var duration = m.Parameters.Single(p => p.Name == "duration");
        Assert.Equal(ParameterKind.Enum, duration.Kind);
        Assert.Equal(["5", "10"], duration.AllowedValues);
        Assert.Equal("5", duration.Default);
        Assert.Equal(["16:9", "9:16", "1:1"], m.Parameters.Single(p => p.Name == "aspect_ratio").AllowedValues);
        var cfg = m.Parameters.Single(p => p.Name == "cfg_scale");
        Assert.Equal((0d, 1d, "0.5"), (cfg.Min!.Value, cfg.Max!.Value, cfg.Default));
    }

    [Fact]
    public void Kling_ImageToVideo_RequiresImage_AndHasNoAspectRatio()
    {
        var m = Model(FalModelCatalog.KlingImageToVideo);

        Assert.True(m.RequiresImage);
        Assert.True(m.AcceptsImage);
        Assert.DoesNotContain(m.Parameters, p => p.Name == "aspect_ratio");
    }

    [Theory]
    [InlineData("5", "0.28")]
    [InlineData("10", "0.56")]
    public void Kling_Cost_FollowsFalPricePerSecond(string duration, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Model(FalModelCatalog.KlingTextToVideo).EstimateCostUsd(P(("duration", duration))));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Model(FalModelCatalog.KlingImageToVideo).EstimateCostUsd(P(("duration", duration))));
    }

    [Fact]
    public void Kling_Cost_WithoutParameters_UsesDefaultDuration()
    {
        Assert.Equal(0.28m, Model(FalModelCatalog.KlingTextToVideo).EstimateCostUsd(P()));
    }

    [Fact]
    public void Veo3_HasFalSchema_AndCostsPerSecondByAudio()
    {
        var m = Model(FalModelCatalog.Veo3);

        Assert.True(m.AcceptsSeed);
        Assert.True(m.AcceptsNegativePrompt);
        Assert.Equal(["4s", "6s", "8s"], m.Parameters.Single(p => p.Name == "duration").AllowedValues);
        Assert.Equal(["720p", "1080p"], m.Parameters.Single(p => p.Name == "resolution").AllowedValues);
        Assert.Equal(["16:9", "9:16"], m.Parameters.Single(p => p.Name == "aspect_ratio").AllowedValues);
        Assert.Equal(ParameterKind.Boolean, m.Parameters.Single(p => p.Name == "generate_audio").Kind);
        Assert.Equal(3.20m, m.EstimateCostUsd(P()));
        Assert.Equal(1.60m, m.EstimateCostUsd(P(("generate_audio", "false"))));
        Assert.Equal(1.60m, m.EstimateCostUsd(P(("duration", "4s"))));
    }

    [Fact]
    public void MiniMax_TakesPromptOptimizer_NoSeed()
    {
        var m = Model(FalModelCatalog.MiniMaxVideo01);

        Assert.False(m.AcceptsSeed);
        Assert.Equal(("true", ParameterKind.Boolean), m.Parameters.Single(p => p.Name == "prompt_optimizer") is var p ? (p.Default, p.Kind) : default);
        Assert.Equal(0.50m, m.EstimateCostUsd(P()));
    }

    [Fact]
    public void Wan_CostDependsOnResolutionAndFrames()
    {
        var m = Model(FalModelCatalog.WanTextToVideo);

        Assert.Equal(0.40m, m.EstimateCostUsd(P()));
        Assert.Equal(0.20m, m.EstimateCostUsd(P(("resolution", "480p"))));
        Assert.Equal(0.50m, m.EstimateCostUsd(P(("num_frames", "100"))));
        var frames = m.Parameters.Single(p => p.Name == "num_frames");
        Assert.Equal((81d, 100d), (frames.Min!.Value, frames.Max!.Value));
    }

    [Fact]
    public void Hunyuan_HasResolutionFramesAndSeed()
    {
        var m = Model(FalModelCatalog.HunyuanVideo);

        Assert.True(m.AcceptsSeed);
        Assert.Equal(["480p", "580p", "720p"], m.Parameters.Single(p => p.Name == "resolution").AllowedValues);
        Assert.Equal(["129", "85"], m.Parameters.Single(p => p.Name == "num_frames").AllowedValues);
        Assert.Equal(0.40m, m.EstimateCostUsd(P()));
        Assert.Equal(0.80m, m.EstimateCostUsd(P(("pro_mode", "true"))));
    }

    [Fact]
    public void Ltx_AcceptsNegativePromptAndSeed()
    {
        var m = Model(FalModelCatalog.LtxVideo);

        Assert.True(m.AcceptsSeed);
        Assert.True(m.AcceptsNegativePrompt);
        Assert.Equal(0.02m, m.EstimateCostUsd(P()));
    }

    [Fact]
    public void EveryParameterDefault_IsAllowedAndInRange()
    {
        foreach (var p in FalModelCatalog.Models.SelectMany(m => m.Parameters))
        {
            Assert.NotNull(p.Default);
            if (p.Kind == ParameterKind.Enum)
            {
                Assert.Contains(p.Default, p.AllowedValues!);
            }

            if (p.Kind is ParameterKind.Integer or ParameterKind.Number)
            {
                var v = double.Parse(p.Default!, System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(v, p.Min ?? double.MinValue, p.Max ?? double.MaxValue);
            }
        }
    }
}
