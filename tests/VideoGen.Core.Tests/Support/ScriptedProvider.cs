using System.Collections.Concurrent;
using VideoGen.Core.Providers;

namespace VideoGen.Core.Tests.Support;

/// <summary>Shared between provider instances, like the remote provider's own books: what it was asked to do.</summary>
public sealed class ProviderLedger
{
    private int _submits;

    public int Submits => Volatile.Read(ref _submits);

    public int NextSubmit() => Interlocked.Increment(ref _submits);

    public ConcurrentQueue<string> StatusRequests { get; } = new();

    public ConcurrentQueue<string> Cancels { get; } = new();
}

/// <summary>
/// A stand-in for a remote queue-style provider (fal-like) whose answers each test scripts.
/// It stands in for the paid third party, not for our own code.
/// </summary>
public sealed class ScriptedProvider(ProviderLedger ledger, Uri resultUrl) : IVideoProvider
{
    public const string ModelId = "test/remote";

    public string Name => "remote";

    /// <summary>Like fal, it calls back by webhook unless a test says otherwise.</summary>
    public bool SupportsWebhooks { get; init; } = true;

    /// <summary>Where the test keeps the result files this provider answers with (file: URLs), if any.</summary>
    public string? LocalResultsFolder { get; init; }

    public ProviderLedger Ledger { get; } = ledger;

    /// <summary>Called per submit; default returns "req-{n}".</summary>
    public Func<ProviderRequest, ProviderHandle>? OnSubmit { get; set; }

    /// <summary>Called per status poll with the 1-based poll number; default completes at once.</summary>
    public Func<int, ProviderStatus> OnStatus { get; set; } = _ => new ProviderStatus(ProviderPhase.Completed);

    private int _polls;

    public bool Serves(string modelId) => modelId == ModelId;

    public ProviderRequest? LastRequest { get; private set; }

    public Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct)
    {
        LastRequest = request;
        if (OnSubmit is not null)
        {
            return Task.FromResult(OnSubmit(request));
        }
        var n = Ledger.NextSubmit();
        return Task.FromResult(new ProviderHandle(Name, request.Model, $"req-{n}", $"https://queue.example/requests/req-{n}/status"));
    }

    public Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct)
    {
        Ledger.StatusRequests.Enqueue(handle.RequestId);
        return Task.FromResult(OnStatus(Interlocked.Increment(ref _polls)));
    }

    public Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct) =>
        Task.FromResult(new ProviderResult(resultUrl, "video/mp4"));

    public Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct)
    {
        Ledger.Cancels.Enqueue(handle.RequestId);
        return Task.FromResult(true);
    }
}
