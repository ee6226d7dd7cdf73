using System.ComponentModel.DataAnnotations;

namespace FakeFal.Options;

/// <summary>
/// Everything FakeFal can be told, bound from the <c>FakeFal</c> configuration section (appsettings,
/// <c>--FakeFal:Queue:Slots=2</c> on the command line, or <c>FakeFal__Queue__Slots=2</c> in the
/// environment) and replaceable at runtime through <c>POST /_fake/config</c>.
/// </summary>
public sealed class FakeFalOptions
{
    public const string Section = "FakeFal";

    /// <summary>Base URL written into returned URLs instead of the request's own host.</summary>
    /// <value>The default value is <see langword="null"/>: URLs are built from the incoming request.</value>
    public string? PublicBaseUrl { get; set; }

    [Required]
    public QueueOptions Queue { get; set; } = new();

    [Required]
    public RetentionOptions Retention { get; set; } = new();

    [Required]
    public MediaOptions Media { get; set; } = new();

    [Required]
    public WebhookOptions Webhooks { get; set; } = new();

    [Required]
    public FaultOptions Faults { get; set; } = new();

    [Required]
    public StorageOptions Storage { get; set; } = new();
}
