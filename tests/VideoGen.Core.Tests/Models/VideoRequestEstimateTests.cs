using System.Text.Json;
using VideoGen.Core.Models;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Models;

/// <summary><see cref="VideoRequestValidator.Estimate"/>: the price of a model and options, checked as a create checks them, without a prompt or image.</summary>
public sealed class VideoRequestEstimateTests
{
    private sealed class FalSource : IModelSource
    {
        public IEnumerable<ModelInfo> Models => FalModelCatalog.Models;
    }

    private static VideoRequestValidator Validator() => new(new ModelCatalog([new LocalModelSource(), new FalSource()]));

    private static IReadOnlyDictionary<string, JsonElement> P(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Theory]
    [InlineData(FalModelCatalog.KlingTextToVideo, "{}", "0.28")]
    [InlineData(FalModelCatalog.KlingTextToVideo, """{"duration":"10"}""", "0.56")]
    [InlineData(FalModelCatalog.KlingImageToVideo, """{"duration":"10","cfg_scale":0.7}""", "0.56")]
    [InlineData(FalModelCatalog.Veo3, """{"generate_audio":false,"duration":"4s"}""", "0.80")]
    [InlineData(LocalModelSource.PreviewModelId, """{"duration":9}""", "0")]
    public void Estimate_ValidOptions_IsTheModelsPriceWithDefaultsFilledIn(string model, string parameters, string expected)
    {
        var estimate = Validator().Estimate(model, P(parameters));

        Assert.True(estimate.IsValid, string.Join("; ", estimate.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        Assert.Equal(model, estimate.Model!.Id);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), estimate.CostUsd);
    }

    [Fact]
    public void Estimate_NoModel_IsTheDefaultModels()
    {
        var estimate = Validator().Estimate(null, null);

        Assert.True(estimate.IsValid);
        Assert.Equal(LocalModelSource.PreviewModelId, estimate.Model!.Id);
        Assert.Equal(0m, estimate.CostUsd);
    }

    [Theory]
    [InlineData("no/such-model", "{}", "model")]
    [InlineData(FalModelCatalog.KlingTextToVideo, """{"duration":"7"}""", "parameters.duration")]
    [InlineData(FalModelCatalog.KlingTextToVideo, """{"seconds":5}""", "parameters.seconds")]
    [InlineData(LocalModelSource.PreviewModelId, """{"duration":1}""", "parameters.duration")]
    public void Estimate_BadModelOrOption_HasNoPriceAndNamesTheField(string model, string parameters, string field)
    {
        var estimate = Validator().Estimate(model, P(parameters));

        Assert.False(estimate.IsValid);
        Assert.Null(estimate.CostUsd);
        Assert.Equal([field], estimate.Errors.Keys);
    }
}
