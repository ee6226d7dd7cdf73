using System.Collections.Concurrent;
using VideoGen.Core.Providers;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// Stands in for a remote provider that already holds a generation: records every cancel it is
/// sent and can fail the first few with a transient error. Submits and polls are not expected.
/// </summary>
public sealed class CancelRecordingProvider : IVideoProvider
{
    private readonly Lock _gate = new();
    private int _failuresLeft;

    /// <summary>Every cancel call, including those that failed.</summary>
    public ConcurrentQueue<ProviderHandle> CancelCalls { get; } = new();

    /// <summary>Cancels that were answered (not failed).</summary>
    public ConcurrentQueue<ProviderHandle> Canceled { get; } = new();

    /// <summary>How many of the next cancel calls throw a transient <see cref="ProviderException"/>.</summary>
    public int FailNextCancels
    {
        get { lock (_gate) { return _failuresLeft; } }
        set { lock (_gate) { _failuresLeft = value; } }
    }

    public string Name => "local";

    public bool Serves(string modelId) => modelId.StartsWith("local/", StringComparison.Ordinal);

    public Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct) =>
        throw new InvalidOperationException("This test provider takes no submits; the test writes the handle on the row.");

    public Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct) =>
        Task.FromResult(new ProviderStatus(ProviderPhase.InProgress, Progress: 0.5));

    public Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct) =>
        throw new InvalidOperationException("This test provider never finishes.");

    public Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct)
    {
        CancelCalls.Enqueue(handle);
        lock (_gate)
        {
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                throw new ProviderException(ProviderErrorKind.Transient, "The provider is unreachable (test).");
            }
        }
        Canceled.Enqueue(handle);
        return Task.FromResult(true);
    }
}
