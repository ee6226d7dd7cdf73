using System.Net;
using System.Text.Json;

namespace VideoGen.Server.Tests.Security;

/// <summary>Assertions shared by the surface tests: refusals are problem details, and the security headers are on.</summary>
internal static class SurfaceRequests
{
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string because)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{because}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{because}: expected application/problem+json, got '{response.Content.Headers.ContentType}': {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal((int)status, doc.RootElement.GetProperty("status").GetInt32());
        return doc.RootElement.Clone();
    }

    public static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        var csp = Header(response, "Content-Security-Policy");
        Assert.True(csp is not null, $"{what}: no Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", $"{what}: X-Content-Type-Options is '{Header(response, "X-Content-Type-Options")}'");
        Assert.True(Header(response, "Referrer-Policy") == "no-referrer", $"{what}: Referrer-Policy is '{Header(response, "Referrer-Policy")}'");
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;
}
