namespace VideoGen.Core.Providers;

/// <summary>Error types the pipeline itself reacts to (others are shown to the user as the provider gave them).</summary>
public static class ProviderErrorTypes
{
    /// <summary>
    /// A submit was sent but its answer was lost: the provider may have accepted (and billed) it. Thrown by a provider
    /// for one submit (the video then becomes <c>submit_unconfirmed</c>); on a failed video it means both its submits
    /// were unconfirmed and nothing proved either (docs/reliability.md, path 6).
    /// </summary>
    public const string SubmitOutcomeUnknown = "submit_outcome_unknown";
}
