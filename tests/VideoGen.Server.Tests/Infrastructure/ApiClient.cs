using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace VideoGen.Server.Tests.Infrastructure;

/// <summary>Small helpers over HttpClient for the videos API, returning raw JSON so tests assert the wire format.</summary>
public static class ApiClient
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public static async Task<JsonElement> CreateVideoAsync(this HttpClient http, string prompt = "a red fox in the snow", long? seed = null)
    {
        var body = seed is null ? JsonSerializer.Serialize(new { prompt }) : JsonSerializer.Serialize(new { prompt, seed });
        using var response = await http.PostJsonAsync("/api/videos", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> GetVideoAsync(this HttpClient http, string id)
    {
        using var response = await http.GetAsync($"/api/videos/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public static Task<JsonElement> WaitForStatusAsync(this HttpClient http, string id, Func<string, bool> done, TimeSpan timeout, string what) =>
        Eventually.WaitForAsync(() => http.GetVideoAsync(id), v => done(v.GetProperty("status").GetString()!), timeout, what, TimeSpan.FromMilliseconds(200));

    public static Task<HttpResponseMessage> GetAsync(this HttpClient http, string path) =>
        http.GetAsync(path, TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PostAsync(this HttpClient http, string path) =>
        http.PostAsync(path, null, TestContext.Current.CancellationToken);

    public static Task<T?> ReadAsync<T>(this HttpResponseMessage response) =>
        response.Content.ReadFromJsonAsync<T>(TestContext.Current.CancellationToken);
}
