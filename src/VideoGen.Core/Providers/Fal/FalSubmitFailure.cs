namespace VideoGen.Core.Providers.Fal;

/// <summary>What is known about a submit attempt that did not return a request id.</summary>
internal enum FalSubmitFailure
{
    /// <summary>The request provably never reached fal (DNS, connect or TLS failure): safe to send again.</summary>
    NotSent,

    /// <summary>
    /// The request may have reached fal and created a paid generation: a timeout or dropped connection after sending,
    /// any 5xx, an error answer that is not fal's own JSON refusal (e.g. a gateway's HTML page), an unreadable 2xx.
    /// </summary>
    OutcomeUnknown,
}

/// <summary>Thrown by one submit attempt when no request id came back; the caller decides whether resending is safe.</summary>
internal sealed class FalSubmitException(FalSubmitFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public FalSubmitFailure Failure { get; } = failure;
}
