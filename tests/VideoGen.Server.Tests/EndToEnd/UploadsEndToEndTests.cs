using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>Sample bodies for <c>POST /api/uploads</c>.</summary>
internal static class UploadSamples
{
    /// <summary>A real 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>A real 8×8 JPEG.</summary>
    public static readonly byte[] Jpeg = Convert.FromBase64String("/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcHCAgICAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAAAAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCAAIAAgDASIAAhEAAxEA/9oADAMBAAIRAxEAPwCLAFF/f//Z");

    /// <summary>A real 8×8 WebP.</summary>
    public static readonly byte[] Webp = Convert.FromBase64String("UklGRjwAAABXRUJQVlA4IDAAAADQAQCdASoIAAgAAgA0JaACdLoB+AADsAD+8Oj3/yC5YXXI1/8gP+QH/ID/+PIAAAA=");

    public static MultipartFormDataContent Form(byte[] bytes, string contentType, string field = "image", string fileName = "input.png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, HttpContent content)
    {
        using var response = await http.PostAsync("/api/uploads", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, doc.RootElement.Clone());
    }
}

/// <summary>Uploads without PublicBaseUrl: relative /media URLs; and every refusal.</summary>
public sealed partial class FalEndToEndTests
{
    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    [InlineData("webp")]
    public async Task Upload_AcceptedImage_IsStoredUnderUploads_AndServedFromRelativeMediaUrl(string kind)
    {
        var bytes = kind switch { "png" => UploadSamples.Png, "jpg" => UploadSamples.Jpeg, _ => UploadSamples.Webp };

        var (status, body) = await UploadSamples.PostAsync(stack.Http, UploadSamples.Form(bytes, "application/octet-stream", fileName: "whatever.bin"));

        Assert.Equal(HttpStatusCode.Created, status);
        var url = body.GetProperty("url").GetString()!;
        Assert.Matches($"^/media/uploads/[0-9a-f]{{32}}\\.{kind}$", url);
        using var served = await stack.Http.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        // What is served is a fresh encoding of the decoded image: same format, not necessarily the same bytes.
        var stored = await served.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(bytes[..4], stored[..4]);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Upload_NotAnImage_WithImageContentType_Is415()
    {
        var (status, body) = await UploadSamples.PostAsync(stack.Http, UploadSamples.Form("GIF89a not accepted, and not a png"u8.ToArray(), "image/png"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(415, body.GetProperty("status").GetInt32());
        Assert.Equal("Unsupported image type", body.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Upload_NotMultipart_Is415()
    {
        var (status, body) = await UploadSamples.PostAsync(stack.Http, new ByteArrayContent(UploadSamples.Png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(415, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Upload_Over10MB_Is413()
    {
        var big = new byte[(10 * 1024 * 1024) + 1];
        UploadSamples.Png.CopyTo(big, 0);

        var (status, body) = await UploadSamples.PostAsync(stack.Http, UploadSamples.Form(big, "image/png"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Upload_WithoutImageField_Is400()
    {
        var (status, body) = await UploadSamples.PostAsync(stack.Http, UploadSamples.Form(UploadSamples.Png, "image/png", field: "file"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body.GetProperty("status").GetInt32());
    }
}

/// <summary>With PublicBaseUrl: the upload URL is absolute (fetchable by fal) and drives an image-to-video generation.</summary>
public sealed partial class FalWebhookEndToEndTests
{
    [Fact]
    public async Task Upload_WithPublicBaseUrl_ReturnsAbsoluteUrl_UsableForImageToVideo()
    {
        var (status, body) = await UploadSamples.PostAsync(stack.Http, UploadSamples.Form(UploadSamples.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, status);
        var url = body.GetProperty("url").GetString()!;
        Assert.StartsWith(stack.Server.BaseUrl!.AbsoluteUri + "media/uploads/", url, StringComparison.Ordinal);
        using (var fetched = await new HttpClient().GetAsync(url, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
            Assert.Equal("image/png", fetched.Content.Headers.ContentType?.MediaType);
        }

        var id = await stack.CreateVideoAsync("the picture comes alive", FalStack.ImageToVideo, imageUrl: url);
        var video = await stack.WaitForTerminalAsync(id, TimeSpan.FromSeconds(90));

        Assert.Equal("succeeded", FalStack.Status(video));
        Assert.Equal(url, FalStack.Text(video, "imageUrl"));
        Assert.Equal(1, FakeFalProcess.SubmissionsFor(await stack.FakeFal.StatsAsync(), id));
    }
}
