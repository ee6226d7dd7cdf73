using VideoGen.Core.Models;

namespace VideoGen.Core.Tests.Models;

/// <summary>Our own upload URL is the only relative image URL a create request may carry.</summary>
public sealed class UploadedImageUrlTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef";

    private static readonly ModelInfo ImageModel = new()
    {
        Id = "test/image-to-video",
        Provider = "test",
        DisplayName = "Image model",
        RequiresImage = true,
        AcceptsImage = true,
    };

    private static VideoRequestValidation Validate(string imageUrl) =>
        new VideoRequestValidator(new ModelCatalog([new LocalModelSource(), new StaticModels(ImageModel)]))
            .Validate(new VideoCreateRequest { Prompt = "x", Model = ImageModel.Id, ImageUrl = imageUrl });

    [Theory]
    [InlineData("png", "image/png")]
    [InlineData("jpg", "image/jpeg")]
    [InlineData("webp", "image/webp")]
    public void TryParse_OurUploadUrl_GivesItsMediaKeyAndContentType(string extension, string contentType)
    {
        Assert.True(UploadedImageUrl.TryParse($"/media/uploads/{Hex}.{extension}", out var key));
        Assert.Equal($"uploads/{Hex}.{extension}", key);
        Assert.Equal(contentType, UploadedImageUrl.ContentTypeOf(key));
    }

    [Theory]
    [InlineData($"/media/uploads/{Hex}.gif")]
    [InlineData($"/media/uploads/{Hex}.PNG")]
    [InlineData($"/media/uploads/0123456789ABCDEF0123456789ABCDEF.png")]
    [InlineData($"/media/uploads/{Hex}0.png")]
    [InlineData($"/media/videos/{Hex}.png")]
    [InlineData($"/media/uploads/../videos/{Hex}.png")]
    [InlineData($"/media/uploads/{Hex}.png?x=1")]
    [InlineData($"/media/uploads/{Hex}.png\n")]
    [InlineData($"media/uploads/{Hex}.png")]
    [InlineData($"//evil.example/media/uploads/{Hex}.png")]
    [InlineData($"https://videos.example.com/media/uploads/{Hex}.png")]
    [InlineData("")]
    public void TryParse_AnythingElse_IsNotAnUpload(string url)
    {
        Assert.False(UploadedImageUrl.TryParse(url, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void Validate_OurRelativeUploadUrl_IsAccepted_AsGiven()
    {
        var result = Validate($"/media/uploads/{Hex}.png");

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal($"/media/uploads/{Hex}.png", result.Request!.ImageUrl);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData($"/media/videos/{Hex}.mp4")]
    [InlineData($"/media/uploads/{Hex}.gif")]
    [InlineData($"//evil.example/media/uploads/{Hex}.png")]
    [InlineData("uploads/x.png")]
    public void Validate_OtherRelativeUrl_IsRefused_NamingImageUrl(string imageUrl)
    {
        var result = Validate(imageUrl);

        Assert.False(result.IsValid);
        Assert.Equal(["imageUrl"], result.Errors.Keys);
    }

    private sealed class StaticModels(params ModelInfo[] models) : IModelSource
    {
        public IEnumerable<ModelInfo> Models => models;
    }
}
