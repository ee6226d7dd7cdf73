using System.Net;
using Microsoft.Extensions.Options;

namespace VideoGen.Core.Providers.Fal;

/// <summary>Checks what data annotations cannot: URLs are absolute and https (http only to loopback when allowed).</summary>
internal sealed class FalOptionsValidator : IValidateOptions<FalOptions>
{
    public ValidateOptionsResult Validate(string? name, FalOptions options)
    {
        var failures = new List<string>();
        CheckUrl(options.BaseUrl, nameof(FalOptions.BaseUrl), options.AllowLoopback, failures);
        CheckUrl(options.StorageBaseUrl, nameof(FalOptions.StorageBaseUrl), options.AllowLoopback, failures);
        CheckUrl(options.PlatformBaseUrl, nameof(FalOptions.PlatformBaseUrl), options.AllowLoopback, failures);
        CheckUrl(options.JwksUrl, nameof(FalOptions.JwksUrl), options.AllowLoopback, failures);
        if (options.Key is { } key && (key.Contains('\n', StringComparison.Ordinal) || key.Contains('\r', StringComparison.Ordinal)))
        {
            failures.Add("Key must be a single line.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(Uri? url, string field, bool allowLoopback, List<string> failures)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            failures.Add($"{field} must be an absolute URL.");
            return;
        }

        if (!IsAllowedUrl(url, allowLoopback))
        {
            failures.Add($"{field} must use https (http only to a loopback host with AllowLoopback).");
        }
    }

    /// <summary>https anywhere; http only to loopback when <paramref name="allowLoopback"/>.</summary>
    internal static bool IsAllowedUrl(Uri url, bool allowLoopback) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (allowLoopback && url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)));

    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
