using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Local;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// The real local renderer, counting submissions (what a paid provider would bill) and able to
/// "crash" the run the first time the pipeline starts waiting, i.e. right after the handle was saved.
/// </summary>
public sealed class CountingProvider(LocalPreviewProvider inner) : IVideoProvider
{
    private int _submits;

    public int Submits => Volatile.Read(ref _submits);

    /// <summary>Fired (once) on the first status call after a submit.</summary>
    public CancellationTokenSource? CrashOnFirstStatus { get; set; }

    public string Name => inner.Name;

    public bool Serves(string modelId) => inner.Serves(modelId);

    public bool SupportsWebhooks => ((IVideoProvider)inner).SupportsWebhooks;

    public string? LocalResultsFolder => inner.LocalResultsFolder;

    public Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _submits);
        return inner.SubmitAsync(request, ct);
    }

    public async Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct)
    {
        if (CrashOnFirstStatus is { } crash)
        {
            CrashOnFirstStatus = null;
            await crash.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
        return await inner.GetStatusAsync(handle, ct);
    }

    public Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct) => inner.GetResultAsync(handle, ct);

    public Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct) => inner.CancelAsync(handle, ct);
}
