using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;

namespace VideoGen.Core.Tests.Fal;

public sealed class FalErrorsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));

    private async Task<ProviderException> Classify(int status, string body, Action<HttpResponseMessage>? tweak = null)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        tweak?.Invoke(response);
        return await FalErrors.FromResponseAsync(response, "submit", _time, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Status422_WithFieldErrors_IsPermanentWithFalsMessage()
    {
        var ex = await Classify(422, """{"detail":[{"loc":["body","prompt"],"msg":"field required","type":"value_error.missing"}]}""");

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal("prompt: field required", ex.Message);
        Assert.Equal("value_error.missing", ex.ErrorType);
    }

    [Fact]
    public async Task Status422_ContentPolicy_KeepsFalsType()
    {
        var ex = await Classify(422, """{"detail":"The prompt was flagged by the content checker.","error_type":"content_policy_violation"}""");

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.Equal("The prompt was flagged by the content checker.", ex.Message);
        Assert.Equal("content_policy_violation", ex.ErrorType);
    }

    [Fact]
    public async Task Status429_IsRateLimited_WithRetryAfterSeconds()
    {
        var ex = await Classify(429, """{"detail":"slow down"}""", r => r.Headers.RetryAfter = new(TimeSpan.FromSeconds(7)));

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
    }

    [Fact]
    public async Task Status429_RetryAfterDate_IsMeasuredAgainstInjectedClock()
    {
        var ex = await Classify(429, "{}", r => r.Headers.RetryAfter = new(_time.GetUtcNow().AddSeconds(30)));

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task ServerErrors_AreTransient(int status)
    {
        var ex = await Classify(status, """{"detail":"Upstream service unavailable."}""");

        Assert.Equal(ProviderErrorKind.Transient, ex.Kind);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task AuthFailures_ArePermanent_AndNameNoKey(int status)
    {
        var ex = await Classify(status, """{"detail":"Invalid key abc:secret"}""");

        Assert.Equal(ProviderErrorKind.Permanent, ex.Kind);
        Assert.StartsWith("fal key rejected", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToString_NeverShowsKey()
    {
        var o = new FalOptions { Key = "abc-id:super-secret" };

        Assert.DoesNotContain("super-secret", o.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", o.ToString(), StringComparison.Ordinal);
    }
}
