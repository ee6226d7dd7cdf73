using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>Every bad input to POST /api/videos is a 4xx problem naming the cause, and nothing is stored.</summary>
public sealed class CreateVideoValidationTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    public static TheoryData<string, string, string> BadBodies() => new()
    {
        { "empty prompt", """{"prompt":""}""", "prompt" },
        { "whitespace prompt", """{"prompt":"   \n\t  "}""", "prompt" },
        { "missing prompt", """{"seed":1}""", "prompt" },
        { "null prompt", """{"prompt":null}""", "prompt" },
        { "prompt over 2000 chars", JsonSerializer.Serialize(new { prompt = new string('a', 2001) }), "prompt" },
        { "prompt with control chars", """{"prompt":"abc\u0000def"}""", "prompt" },
        { "prompt as number", """{"prompt":123}""", "prompt" },
        { "prompt as object", """{"prompt":{"a":1}}""", "prompt" },
        { "unknown model", """{"prompt":"fox","model":"no/such-model"}""", "model" },
        { "model as array", """{"prompt":"fox","model":["local/preview"]}""", "model" },
        { "negative seed", """{"prompt":"fox","seed":-1}""", "seed" },
        { "seed too large", """{"prompt":"fox","seed":4294967296}""", "seed" },
        { "seed beyond long", """{"prompt":"fox","seed":99999999999999999999999}""", "seed" },
        { "seed fractional", """{"prompt":"fox","seed":1.5}""", "seed" },
        { "seed as text", """{"prompt":"fox","seed":"abc"}""", "seed" },
        { "parameter out of range", """{"prompt":"fox","parameters":{"duration":99}}""", "parameters.duration" },
        { "parameter not allowed", """{"prompt":"fox","parameters":{"aspect_ratio":"4:3"}}""", "parameters.aspect_ratio" },
        { "unknown parameter", """{"prompt":"fox","parameters":{"fps":60}}""", "parameters.fps" },
        { "parameters as array", """{"prompt":"fox","parameters":[1,2]}""", "parameters" },
        { "negative prompt unsupported", """{"prompt":"fox","negativePrompt":"blurry"}""", "negativePrompt" },
        { "image unsupported", """{"prompt":"fox","imageUrl":"https://example.com/a.png"}""", "imageUrl" },
        { "unknown field", """{"prompt":"fox","promt":"typo"}""", "promt" },
        { "malformed JSON", """{"prompt":"fox",""", "body" },
        { "trailing garbage", """{"prompt":"fox"} x""", "body" },
        { "JSON array body", """[{"prompt":"fox"}]""", "body" },
        { "JSON string body", "\"fox\"", "body" },
        { "empty body", "", "body" },
        { "deeply nested", "{\"parameters\":" + new string('[', 100) + new string(']', 100) + "}", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Create_BadBody_Returns400NamingTheFieldAndStoresNothing(string because, string body, string field)
    {
        using var response = await Http.PostJsonAsync("/api/videos", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.1", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{because}: expected an error for '{field}' in {problem.GetRawText()}");
        Assert.Empty(await Factory.VideosInDatabaseAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task Create_WrongContentType_Returns415AndStoresNothing(string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"prompt":"fox"}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.PostAsync("/api/videos", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(415, (await response.JsonAsync()).GetProperty("status").GetInt32());
        Assert.Empty(await Factory.VideosInDatabaseAsync());
    }

    [Fact]
    public async Task Create_BodyOver64KB_Returns413AndStoresNothing()
    {
        var body = JsonSerializer.Serialize(new { prompt = "fox", negativePrompt = new string('x', 70_000) });

        using var response = await Http.PostJsonAsync("/api/videos", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await Factory.VideosInDatabaseAsync());
    }

    [Fact]
    public async Task Create_ChunkedBodyOver64KB_Returns413()
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { prompt = new string('y', 100_000) }));
        using var content = new StreamContent(new MemoryStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await Http.PostAsync("/api/videos", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await Factory.VideosInDatabaseAsync());
    }

    [Fact]
    public async Task Create_JsonWithCharset_IsAccepted()
    {
        using var content = new StringContent("""{"prompt":"fox"}""", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        using var response = await Http.PostAsync("/api/videos", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/videos/%C0%AF%FF")]
    [InlineData("POST", "/api/videos/%20/cancel")]
    [InlineData("PUT", "/api/videos")]
    [InlineData("DELETE", "/api/videos/abc")]
    [InlineData("GET", "/media/..%2F..%2Fvideogen.db")]
    [InlineData("GET", "/api/videos?limit=99999999999999999999")]
    public async Task NastyRequests_NeverAnswer500(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }
}
