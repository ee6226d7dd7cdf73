using System.ComponentModel.DataAnnotations;

namespace VideoGen.Core.Pipeline;

/// <summary>How provider webhook URLs are authenticated. Section <c>VideoGen:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "VideoGen:Webhooks";

    /// <summary>
    /// Key of the HMAC-SHA256 that each webhook URL carries over its video id (<c>&amp;token=</c>); at least 32
    /// characters. Every process and machine that sends or receives webhooks for the same database must use the
    /// same value: set it here when they do not share one DataDir. Never logged or returned.
    /// <value>The default value is null (32 random bytes generated once into {DataDir}/webhook-secret).</value>
    /// </summary>
    [MinLength(32, ErrorMessage = "VideoGen:Webhooks:Secret must be at least 32 characters (or unset, to keep a generated one in DataDir).")]
    public string? Secret { get; set; }
}
