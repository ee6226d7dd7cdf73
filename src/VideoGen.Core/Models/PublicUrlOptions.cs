using Microsoft.Extensions.Options;

namespace VideoGen.Core.Models;

/// <summary>
/// The address the outside world reaches this VideoGen at: the one definition of <c>VideoGen:PublicBaseUrl</c>, for
/// everything that needs it — the webhook URL given to providers that call back, absolute media and upload URLs,
/// and image URLs a provider fetches from us. Bound from section <c>VideoGen</c>.
/// </summary>
public sealed class PublicUrlOptions
{
    public const string Section = "VideoGen";

    /// <summary>
    /// An absolute http(s) URL such as <c>https://videos.example.com</c> (a path is kept:
    /// <c>https://example.com/videogen</c>). <value>The default value is null: media URLs are relative, providers
    /// are polled (no webhooks), and an uploaded image is sent to a provider's own storage.</value>
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Refuses a <see cref="PublicBaseUrl"/> that is not an absolute http(s) URL, naming the key and the fix.</summary>
    internal sealed class Validator : IValidateOptions<PublicUrlOptions>
    {
        public ValidateOptionsResult Validate(string? name, PublicUrlOptions options) =>
            options.PublicBaseUrl is not { } url || (url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("VideoGen:PublicBaseUrl must be an absolute http(s) URL such as https://videos.example.com.");
    }
}
