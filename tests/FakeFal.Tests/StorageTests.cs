using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

/// <summary>
/// fal's storage upload as the official client drives it: initiate (with the key) → PUT to the pre-signed upload URL
/// (without it) → the file URL serves the bytes; plus the multipart variant, refusals, faults and counters.
/// </summary>
public sealed class StorageTests
{
    private const string Initiate = "storage/upload/initiate?storage_type=fal-cdn-v3";

    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(string UploadUrl, string FileUrl)> InitiateAsync(FakeFalHost fal, string contentType = "image/png", string fileName = "cat.png", string path = Initiate)
    {
        using var response = await fal.Client.PostAsJsonAsync(path, new { content_type = contentType, file_name = fileName }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await FakeFalHost.ReadObjectAsync(response);
        return ((string)body["upload_url"]!, (string)body["file_url"]!);
    }

    /// <summary>The PUT the official client makes: no Authorization header, only the bytes and their Content-Type.</summary>
    private static async Task<HttpResponseMessage> PutAsync(string url, byte[] bytes, string contentType = "image/png")
    {
        using var anonymous = new HttpClient();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await anonymous.PutAsync(url, content, Ct);
    }

    [Fact]
    public async Task Upload_InitiatePutThenGet_ServesTheSameBytesAndContentType_AndIsCounted()
    {
        await using var fal = await FakeFalHost.StartAsync();

        var (uploadUrl, fileUrl) = await InitiateAsync(fal);
        using (var early = await new HttpClient().GetAsync(fileUrl, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }

        using var put = await PutAsync(uploadUrl, Png);
        using var anonymous = new HttpClient();
        using var served = await anonymous.GetAsync(fileUrl, Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.StartsWith($"{fal.BaseUrl}/storage/upload/", uploadUrl, StringComparison.Ordinal);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(fal.BaseUrl)}/files/uploads/[0-9a-f]{{32}}/cat\\.png$", fileUrl);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync(Ct));
        var storage = (await fal.StatsAsync())["storage"]!;
        Assert.Equal(1, (int)storage["initiated"]!);
        Assert.Equal(1, (int)storage["uploads"]!);
        Assert.Equal(Png.Length, (int)storage["bytes"]!);
        Assert.Equal(1, (int)storage["files"]!);
        Assert.Equal(0, (int)storage["refused"]!);
        Assert.Equal(0, (int)(await fal.StatsAsync())["submissions"]!["total"]!);
    }

    [Fact]
    public async Task Initiate_WithoutKey_Is401_AndAnnouncesNothing()
    {
        await using var fal = await FakeFalHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(fal.BaseUrl + "/") };

        using var response = await anonymous.PostAsJsonAsync(Initiate, new { content_type = "image/png", file_name = "a.png" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var storage = (await fal.StatsAsync())["storage"]!;
        Assert.Equal(0, (int)storage["initiated"]!);
        Assert.Equal(1, (int)storage["refused"]!);
    }

    [Fact]
    public async Task Initiate_WithoutContentType_Is422NamingIt()
    {
        await using var fal = await FakeFalHost.StartAsync();

        using var response = await fal.Client.PostAsJsonAsync(Initiate, new { file_name = "a.png" }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await FakeFalHost.ReadObjectAsync(response);
        Assert.Equal("content_type", (string?)body["detail"]![0]!["loc"]![1]);
    }

    [Fact]
    public async Task Put_WithWrongToken_Is403_AndStoresNothing()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var (uploadUrl, fileUrl) = await InitiateAsync(fal);
        var forged = uploadUrl[..uploadUrl.IndexOf("token=", StringComparison.Ordinal)] + "token=" + new string('0', 32);

        using var put = await PutAsync(forged, Png);
        using var served = await new HttpClient().GetAsync(fileUrl, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.Equal(0, (int)(await fal.StatsAsync())["storage"]!["uploads"]!);
    }

    [Fact]
    public async Task Put_OverMaxFileBytes_Is413_AndStoresNothing()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Storage:MaxFileBytes=1024");
        var (uploadUrl, fileUrl) = await InitiateAsync(fal);

        using var put = await PutAsync(uploadUrl, new byte[1025]);
        using var served = await new HttpClient().GetAsync(fileUrl, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        var storage = (await fal.StatsAsync())["storage"]!;
        Assert.Equal(0, (int)storage["uploads"]!);
        Assert.Equal(1, (int)storage["refused"]!);
    }

    [Fact]
    public async Task Multipart_PartsThenComplete_AssemblesTheFileInPartOrder()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var (uploadUrl, fileUrl) = await InitiateAsync(fal, "application/octet-stream", "big.bin", "storage/upload/initiate-multipart?storage_type=fal-cdn-v3");
        var url = new Uri(uploadUrl);
        string PartUrl(string suffix) => $"{url.GetLeftPart(UriPartial.Path)}/{suffix}{url.Query}";

        using var one = await PutAsync(PartUrl("1"), "first-"u8.ToArray(), "application/octet-stream");
        using var two = await PutAsync(PartUrl("2"), "second"u8.ToArray(), "application/octet-stream");
        var parts = new JsonArray(
            (await FakeFalHost.ReadObjectAsync(one)).DeepClone(),
            (await FakeFalHost.ReadObjectAsync(two)).DeepClone());
        using var anonymous = new HttpClient();
        using var complete = await anonymous.PostAsync(PartUrl("complete"), new StringContent(new JsonObject { ["parts"] = parts }.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var served = await anonymous.GetByteArrayAsync(fileUrl, Ct);

        Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        Assert.Equal(1, (int)parts[0]!["partNumber"]!);
        Assert.Equal("first-second", Encoding.ASCII.GetString(served));
        var storage = (await fal.StatsAsync())["storage"]!;
        Assert.Equal(2, (int)storage["parts"]!);
        Assert.Equal(1, (int)storage["uploads"]!);
    }

    [Fact]
    public async Task Multipart_CompleteWithWrongEtag_Is422_AndServesNothing()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var (uploadUrl, fileUrl) = await InitiateAsync(fal, "application/octet-stream", "big.bin", "storage/upload/initiate-multipart");
        var url = new Uri(uploadUrl);
        using var one = await PutAsync($"{url.GetLeftPart(UriPartial.Path)}/1{url.Query}", "data"u8.ToArray(), "application/octet-stream");
        var parts = new JsonArray(new JsonObject { ["partNumber"] = 1, ["etag"] = "\"not-it\"" });

        using var anonymous = new HttpClient();
        using var complete = await anonymous.PostAsync($"{url.GetLeftPart(UriPartial.Path)}/complete{url.Query}", new StringContent(new JsonObject { ["parts"] = parts }.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        using var served = await anonymous.GetAsync(fileUrl, Ct);

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
    }

    [Fact]
    public async Task ServerErrorFault_OnStorageInitiate_Answers5xx_AndAnnouncesNothing()
    {
        await using var fal = await FakeFalHost.StartAsync("--FakeFal:Faults:Routes:storage_initiate:ServerErrorRate=1");

        using var response = await fal.Client.PostAsJsonAsync(Initiate, new { content_type = "image/png", file_name = "a.png" }, Ct);

        Assert.Contains((int)response.StatusCode, new[] { 500, 502, 503 });
        var stats = await fal.StatsAsync();
        Assert.Equal(0, (int)stats["storage"]!["initiated"]!);
        Assert.Equal(1, (int)stats["faults"]!["storage_initiate.server_error"]!);
    }

    [Fact]
    public async Task Reset_ForgetsStoredFiles()
    {
        await using var fal = await FakeFalHost.StartAsync();
        var (uploadUrl, fileUrl) = await InitiateAsync(fal);
        using (var put = await PutAsync(uploadUrl, Png))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var reset = await fal.Client.PostAsync("_fake/reset", null, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using var served = await new HttpClient().GetAsync(fileUrl, Ct);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.Equal(0, (int)(await fal.StatsAsync())["storage"]!["files"]!);
    }
}
