namespace VideoGen.Core.Pipeline;

/// <summary>
/// A provider's callback whose authenticity its receiver has verified (e.g. fal's signed webhook).
/// </summary>
/// <param name="Provider">The provider that called (<c>IVideoProvider.Name</c>).</param>
/// <param name="RequestId">The provider's request the callback is about, as the verified delivery states it.</param>
/// <param name="VideoId">The video our callback URL names (<c>?video=</c>), when it names one.</param>
public sealed record VerifiedWebhook(string Provider, string RequestId, string? VideoId);
