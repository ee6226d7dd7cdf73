namespace VideoGen.Core.Providers;

/// <summary>Error types the pipeline itself reacts to (others are shown to the user as the provider gave them).</summary>
public static class ProviderErrorTypes
{
    /// <summary>A submit was sent but its answer was lost: the provider may have accepted (and billed) it.</summary>
    public const string SubmitOutcomeUnknown = "submit_outcome_unknown";
}
