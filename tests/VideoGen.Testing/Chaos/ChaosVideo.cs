namespace VideoGen.Testing.Chaos;

/// <summary>What the chaos run asked of one accepted video: the faults its prompt carries and whether its owner canceled it.</summary>
public sealed class ChaosVideo(string id, int index, bool providerError, bool refused, bool cancel)
{
    public string Id { get; } = id;

    public int Index { get; } = index;

    /// <summary>Its prompt carries <c>[fakefal:error]</c>: fal completes it with an error result.</summary>
    public bool ProviderError { get; } = providerError;

    /// <summary>Its prompt carries <c>[fakefal:validation]</c>: fal refuses it at submit (nothing paid).</summary>
    public bool Refused { get; } = refused;

    /// <summary>Its owner is to cancel it while it runs.</summary>
    public bool CancelPlanned { get; } = cancel;

    /// <summary>The answer to the owner's cancel (0: not sent or not answered).</summary>
    public int CancelAnswer { get; set; }

    /// <summary>The owner sent a cancel (its answer may have been lost with a killed API).</summary>
    public bool CancelSent { get; set; }

    /// <summary>
    /// The owner's cancel was accepted (200: done; 202: under way at the provider), or sent and its answer lost (the API
    /// was killed after it may have applied it): either way a canceled end is the owner's doing.
    /// </summary>
    public bool CanceledByOwner => CancelAnswer is 200 or 202 || (CancelSent && CancelAnswer is 0);
}
