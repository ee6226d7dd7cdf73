using System.Threading.Channels;

namespace VideoGen.Queue.Processing;

/// <summary>
/// An auto-reset, allocation-light signal: many <see cref="Set"/> calls before one wait collapse into
/// one wake-up, and a set before the wait is never lost.
/// </summary>
internal sealed class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
    });

    public void Set() => _channel.Writer.TryWrite(true);

    /// <summary>Completes when set (consuming the signal) or when <paramref name="ct"/> fires.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        await _channel.Reader.WaitToReadAsync(ct);
        _channel.Reader.TryRead(out _);
    }

    /// <summary>
    /// Like <see cref="WaitAsync(CancellationToken)"/>, but gives up after <paramref name="timeout"/> of real
    /// time (true = signalled, false = timed out).
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return true;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _channel.Reader.WaitToReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }

        _channel.Reader.TryRead(out _);
        return true;
    }
}
