using VideoGen.Core.Models;
using System.Net;
using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Security;

/// <summary>
/// <c>VideoGen:PublicBaseUrl</c> is where providers send webhooks and browsers fetch media: over plain
/// http anyone on the path could read or forge both, so it must be https unless it is loopback
/// (local use and tests). Malformed URLs are the <c>[Url]</c> annotation's business.
/// </summary>
internal sealed class PublicBaseUrlValidator : IValidateOptions<PublicUrlOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicUrlOptions options)
    {
        if (options.PublicBaseUrl is not { IsAbsoluteUri: true } url)
        {
            return ValidateOptionsResult.Skip;
        }
        if (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url.Host)))
        {
            return ValidateOptionsResult.Success;
        }
        return ValidateOptionsResult.Fail(
            $"VideoGen:PublicBaseUrl must use https unless its host is loopback (got '{url.GetLeftPart(UriPartial.Authority)}'); " +
            "put a TLS-terminating proxy in front (docs/security.md) and give its https address.");
    }

    /// <summary>Whether <paramref name="host"/> (as <see cref="Uri.Host"/> gives it) names this machine's loopback interface.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
