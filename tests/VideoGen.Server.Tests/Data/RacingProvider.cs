using System.Collections.Concurrent;
using VideoGen.Core.Providers;

namespace VideoGen.Server.Tests.Data;

/// <summary>
/// A provider named "local" (so it serves <c>local/preview</c>) built to race two pipeline runs on one video:
/// <see cref="PrepareAsync"/> — the last step before a run marks the video <c>submitting</c> — holds each run until
/// both have reached it (both have read the row as <c>queued</c>), then lets them go at once. Submissions are counted
/// per video (what a paid provider bills); a status call fails the generation at once, so the winner ends quickly.
/// </summary>
public sealed class RacingProvider : IVideoProvider
{
    private readonly ConcurrentDictionary<string, int> _submits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Rendezvous> _gates = new(StringComparer.Ordinal);

    public string Name => "local";

    public bool Serves(string modelId) => modelId.StartsWith("local/", StringComparison.Ordinal);

    public int SubmitsOf(string videoId) => _submits.GetValueOrDefault(videoId);

    public async Task<ProviderRequest> PrepareAsync(ProviderRequest request, CancellationToken ct)
    {
        await Gate(request.VideoId).ArriveAsync(ct);
        return request;
    }

    /// <summary>Completes when the first run of <paramref name="videoId"/> has read the row and is held before its submit.</summary>
    public Task FirstArrivalAsync(string videoId) => Gate(videoId).FirstArrived;

    /// <summary>Arrives as the second run would, releasing the first.</summary>
    public Task ReleaseAsync(string videoId, CancellationToken ct) => Gate(videoId).ArriveAsync(ct);

    private Rendezvous Gate(string videoId) => _gates.GetOrAdd(videoId, _ => new Rendezvous());

    public Task<ProviderHandle> SubmitAsync(ProviderRequest request, CancellationToken ct)
    {
        var n = _submits.AddOrUpdate(request.VideoId, 1, (_, c) => c + 1);
        return Task.FromResult(new ProviderHandle(Name, request.Model, $"req-{request.VideoId}-{n}"));
    }

    public Task<ProviderStatus> GetStatusAsync(ProviderHandle handle, CancellationToken ct) =>
        Task.FromResult(new ProviderStatus(ProviderPhase.Failed, Error: "Stopped by the race test.", ErrorType: "test_stop"));

    public Task<ProviderResult> GetResultAsync(ProviderHandle handle, CancellationToken ct) =>
        throw new InvalidOperationException("The race test never completes a generation.");

    public Task<bool> CancelAsync(ProviderHandle handle, CancellationToken ct) => Task.FromResult(true);

    /// <summary>Two arrivals release both; a lone arrival fails after 30 s rather than hang the test.</summary>
    private sealed class Rendezvous
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public Task FirstArrived => _first.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public async Task ArriveAsync(CancellationToken ct)
        {
            var n = Interlocked.Increment(ref _arrived);
            _first.TrySetResult();
            if (n == 2)
            {
                _both.TrySetResult();
            }
            await _both.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
    }
}
