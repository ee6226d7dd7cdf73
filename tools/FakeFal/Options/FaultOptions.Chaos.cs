namespace FakeFal.Options;

/// <summary>
/// The faults a chaos run mixes in on top of the transport and webhook faults: webhooks that arrive
/// before the submit's answer (out of order) and results that are gone by the time they are fetched.
/// </summary>
public sealed partial class FaultOptions
{
    /// <summary>
    /// Rate of submits whose answer is held back until the request has completed and its webhook
    /// went out, so the webhook reaches the caller before the request id does (out of order).
    /// </summary>
    public double EarlyWebhookRate { get; set; }

    /// <summary>Longest an early-webhook submit answer is held back.</summary>
    /// <value>The default value is 15 s.</value>
    public TimeSpan EarlyWebhookMaxHold { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Rate of successful requests whose result expires the moment it completes (status and result
    /// answer 404, as after fal's retention window): a result paid for that can no longer be fetched.
    /// </summary>
    public double ExpiredResultRate { get; set; }
}
