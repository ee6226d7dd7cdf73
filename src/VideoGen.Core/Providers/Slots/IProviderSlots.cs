namespace VideoGen.Core.Providers.Slots;

/// <summary>
/// Slots at a provider, shared by every worker on every machine (issue 13). A video takes its slot before the paid
/// submit and gives it back once it no longer occupies the provider (result fetched, failed, canceled, or the submit
/// refused). A slot is keyed by the video id, so taking it again is harmless, and one held by a video that ended
/// elsewhere (a worker killed mid-way) comes back when the store reconciles slots against the video rows.
/// </summary>
public interface IProviderSlots
{
    /// <summary>
    /// Takes video <paramref name="videoId"/>'s slot at <paramref name="provider"/> for <paramref name="model"/> when the
    /// provider's limits (concurrency, the model's concurrency, submits per minute) allow it now.
    /// </summary>
    Task<SlotGrant> TryTakeAsync(string videoId, string provider, string model, CancellationToken ct);

    /// <summary>Gives back video <paramref name="videoId"/>'s slot, if it holds one. Idempotent.</summary>
    Task ReleaseAsync(string videoId, CancellationToken ct);
}

/// <summary>What <see cref="IProviderSlots.TryTakeAsync"/> decided.</summary>
public enum SlotGrant
{
    /// <summary>The provider has no limits: nothing was recorded, submit away.</summary>
    Unlimited = 0,

    /// <summary>The slot is the video's now.</summary>
    Taken = 1,

    /// <summary>The video already held its slot (an earlier run took it): submit away.</summary>
    AlreadyHeld = 2,

    /// <summary>Every slot is taken, or the submit rate is used up: wait, as a queued video, and try again.</summary>
    Full = 3,
}
