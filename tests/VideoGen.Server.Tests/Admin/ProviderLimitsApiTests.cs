using System.Net;
using System.Text;
using System.Text.Json;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Admin;

/// <summary><c>/api/admin/providers/{provider}/limits</c>: configuration first, an admin's override on top, reset back.</summary>
public sealed class ProviderLimitsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Limits_ComeFromConfiguration_ThenAnAdminOverridesThem_ThenResetRestoresConfiguration()
    {
        await using var factory = NewFactory();
        using var http = factory.CreateClient();

        var configured = await SendAsync(http, HttpMethod.Get, null, HttpStatusCode.OK);
        Assert.Equal(5, configured.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal(JsonValueKind.Null, configured.GetProperty("maxSubmitsPerMinute").ValueKind);
        Assert.Equal(2, configured.GetProperty("models").GetProperty("fal-ai/veo3").GetProperty("maxConcurrent").GetInt32());
        Assert.Equal("configuration", configured.GetProperty("source").GetString());
        Assert.Equal(0, configured.GetProperty("inUse").GetInt32());

        var set = await SendAsync(http, HttpMethod.Put, new { maxConcurrent = 3, maxSubmitsPerMinute = 60, models = new Dictionary<string, object> { ["fal-ai/veo3"] = new { maxConcurrent = 1 } } }, HttpStatusCode.OK);
        Assert.Equal(3, set.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal(60, set.GetProperty("maxSubmitsPerMinute").GetInt32());
        Assert.Equal(1, set.GetProperty("models").GetProperty("fal-ai/veo3").GetProperty("maxConcurrent").GetInt32());
        Assert.Equal("admin", set.GetProperty("source").GetString());
        Assert.Equal("admin", (await SendAsync(http, HttpMethod.Get, null, HttpStatusCode.OK)).GetProperty("source").GetString());

        var reset = await SendAsync(http, HttpMethod.Delete, null, HttpStatusCode.OK);
        Assert.Equal(5, reset.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal("configuration", reset.GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("""{"maxConcurrent":0}""", "maxConcurrent")]
    [InlineData("""{"maxSubmitsPerMinute":-1}""", "maxSubmitsPerMinute")]
    [InlineData("""{"maxConcurrent":1000001}""", "maxConcurrent")]
    [InlineData("""{"models":{"fal-ai/veo3":{}}}""", "models.fal-ai/veo3.maxConcurrent")]
    public async Task Put_OutOfRange_IsAProblemNamingTheField(string body, string field)
    {
        await using var factory = NewFactory();
        using var http = factory.CreateClient();

        using var response = await http.PutAsync("/api/admin/providers/fal/limits", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
        Assert.Equal("configuration", (await SendAsync(http, HttpMethod.Get, null, HttpStatusCode.OK)).GetProperty("source").GetString());
    }

    [Fact]
    public async Task UnknownProvider_Is404Problem()
    {
        await using var factory = NewFactory();
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/api/admin/providers/nope/limits", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static VideoGenFactory NewFactory()
    {
        var factory = new VideoGenFactory { WorkersEnabled = false };
        factory.Settings["VideoGen:Providers:Fal:Key"] = "test-key-0123456789:not-a-real-secret";
        factory.Settings["VideoGen:Providers:Fal:MaxConcurrent"] = "5";
        factory.Settings["VideoGen:Providers:Fal:Models:fal-ai/veo3:MaxConcurrent"] = "2";
        return factory;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, "/api/admin/providers/fal/limits");
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{method} answered {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
