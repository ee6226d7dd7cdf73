using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Queue.Processing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>A cancel request reaches the held job at once, without waiting for a heartbeat.</summary>
public sealed class CancelRequestListenerTests
{
    [Fact]
    public async Task CancelRequest_ForAJobStillWaitingForASlot_EndsItCanceled()
    {
        await using var parts = new WorkerParts();
        var run = await parts.HoldOneAsync(ready: true);
        using var stop = new CancellationTokenSource();
        var listener = new CancelRequestListener(parts.Store, parts.Time, parts.Held, parts.Settler, parts.Options.WorkerId, NullLogger.Instance);
        var listening = listener.RunAsync(parts.Store.ReadCancelRequestsAsync(stop.Token), stop.Token);

        Assert.Equal(CancelOutcome.CancelRequested, await parts.Store.CancelAsync(run.Job.Id, "user", parts.Time.GetUtcNow(), TestContext.Current.CancellationToken));

        await Eventually.TrueAsync(async () => (await parts.GetAsync(run.Job.Id)).State == JobState.Canceled, "the waiting job to end canceled");
        Assert.True(run.CancelRequested);
        await stop.CancelAsync();
        await Eventually.CompletesAsync(listening, "the listener to stop");
    }
}
