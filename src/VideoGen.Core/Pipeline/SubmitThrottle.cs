namespace VideoGen.Core.Pipeline;

/// <summary>
/// Bounds how many provider submits one process has in flight. Thousands of jobs starting at once
/// would otherwise all send their paid submit together, time out together, and leave every one of
/// them with an unknown outcome. A job waits here before it marks the video as submitting, so a
/// wait is never mistaken for a submit in progress.
/// </summary>
public sealed class SubmitThrottle(int maxConcurrentSubmits)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, maxConcurrentSubmits), Math.Max(1, maxConcurrentSubmits));

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        return new Slot(_slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
