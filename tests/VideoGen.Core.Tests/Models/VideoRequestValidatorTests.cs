using System.Text.Json;
using VideoGen.Core.Models;

namespace VideoGen.Core.Tests.Models;

public class VideoRequestValidatorTests
{
    private static readonly ModelInfo ImageModel = new()
    {
        Id = "test/image-to-video",
        Provider = "test",
        DisplayName = "Image model",
        RequiresImage = true,
        AcceptsImage = true,
        AcceptsNegativePrompt = true,
        Parameters =
        [
            new ModelParameter("duration", ParameterKind.Enum, Default: "5", AllowedValues: ["5", "10"]),
            new ModelParameter("cfg_scale", ParameterKind.Number, Default: "0.5", Min: 0, Max: 1),
            new ModelParameter("enhance", ParameterKind.Boolean),
        ],
        EstimateCostUsd = p => p["duration"] == "10" ? 0.9m : 0.45m,
    };

    private static VideoRequestValidator Validator() => new(new ModelCatalog([new LocalModelSource(), new StaticSource(ImageModel)]));

    private static IReadOnlyDictionary<string, JsonElement> P(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void Validate_MinimalRequest_UsesDefaultModelAndDefaults()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "  a red fox  " });

        Assert.True(result.IsValid);
        var r = result.Request!;
        Assert.Equal("a red fox", r.Prompt);
        Assert.Equal("local/preview", r.Model.Id);
        Assert.Equal("4", r.Parameters["duration"]);
        Assert.Equal("16:9", r.Parameters["aspect_ratio"]);
        Assert.Equal("""{"duration":4,"aspect_ratio":"16:9"}""", r.ParametersJson);
        Assert.Equal(0m, r.EstimatedCostUsd);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n ")]
    public void Validate_EmptyOrWhitespacePrompt_IsPromptError(string? prompt)
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = prompt });

        Assert.False(result.IsValid);
        Assert.Equal(["prompt"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_PromptOf2000Chars_IsAccepted_And2001_IsRejected()
    {
        Assert.True(Validator().Validate(new VideoCreateRequest { Prompt = new string('a', 2000) }).IsValid);

        var result = Validator().Validate(new VideoCreateRequest { Prompt = new string('a', 2001) });
        Assert.Contains("at most 2000", Assert.Single(result.Errors["prompt"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownModel_IsModelError()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", Model = "nope/model" });

        Assert.Equal(["model"], result.Errors.Keys);
        Assert.Contains("nope/model", result.Errors["model"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L, false)]
    [InlineData(0L, true)]
    [InlineData(4294967295L, true)]
    [InlineData(4294967296L, false)]
    public void Validate_Seed_MustBeWithinUInt32(long seed, bool valid)
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", Seed = seed });

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.Equal(["seed"], result.Errors.Keys);
        }
    }

    [Fact]
    public void Validate_ImageForTextOnlyModel_IsImageError()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", ImageUrl = "https://example.com/a.png" });

        Assert.Equal(["imageUrl"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_MissingImageForImageModel_IsImageError()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", Model = ImageModel.Id });

        Assert.Equal(["imageUrl"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_NonHttpImageUrl_IsImageError()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", Model = ImageModel.Id, ImageUrl = "file:///etc/passwd" });

        Assert.Equal(["imageUrl"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_NegativePromptForModelWithout_IsError()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", NegativePrompt = "blur" });

        Assert.Equal(["negativePrompt"], result.Errors.Keys);
    }

    [Fact]
    public void Validate_UnknownParameter_IsKeyedByParameterName()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", Parameters = P("""{"fps": 30}""") });

        Assert.Equal(["parameters.fps"], result.Errors.Keys);
    }

    [Theory]
    [InlineData("""{"duration": 1}""", "parameters.duration")]
    [InlineData("""{"duration": 11}""", "parameters.duration")]
    [InlineData("""{"duration": "four"}""", "parameters.duration")]
    [InlineData("""{"duration": 4.5}""", "parameters.duration")]
    [InlineData("""{"aspect_ratio": "4:3"}""", "parameters.aspect_ratio")]
    [InlineData("""{"aspect_ratio": {"x": 1}}""", "parameters.aspect_ratio")]
    public void Validate_BadParameterValue_IsKeyedByParameterName(string json, string field)
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", Parameters = P(json) });

        Assert.Equal([field], result.Errors.Keys);
    }

    [Fact]
    public void Validate_NumericStringsAndEnums_AreNormalized()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = "x", Parameters = P("""{"duration": "7", "aspect_ratio": "9:16"}""") });

        Assert.True(result.IsValid);
        Assert.Equal("""{"duration":7,"aspect_ratio":"9:16"}""", result.Request!.ParametersJson);
    }

    [Fact]
    public void Validate_ImageModel_TypesParametersAndEstimatesCost()
    {
        var result = Validator().Validate(new VideoCreateRequest
        {
            Prompt = "x",
            Model = ImageModel.Id,
            ImageUrl = "https://example.com/a.png",
            NegativePrompt = "blur",
            Parameters = P("""{"duration": 10, "enhance": "true"}"""),
        });

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal("""{"duration":"10","cfg_scale":0.5,"enhance":true}""", result.Request!.ParametersJson);
        Assert.Equal(0.9m, result.Request.EstimatedCostUsd);
    }

    [Fact]
    public void Validate_SeveralProblems_AreAllReported()
    {
        var result = Validator().Validate(new VideoCreateRequest { Prompt = " ", Seed = -5, Parameters = P("""{"duration": 99, "bogus": 1}""") });

        Assert.Equal(["parameters.bogus", "parameters.duration", "prompt", "seed"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Catalog_DuplicateModelIds_AreRefused()
    {
        Assert.Throws<InvalidOperationException>(() => new ModelCatalog([new LocalModelSource(), new LocalModelSource()]));
    }

    private sealed class StaticSource(params ModelInfo[] models) : IModelSource
    {
        public IEnumerable<ModelInfo> Models => models;
    }
}
