using VideoGen.Queue.Processing;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>Never more slots taken than the worker's concurrency, whoever takes them.</summary>
public sealed class HandlerSlotsTests
{
    [Fact]
    public void TryTake_UpToConcurrency_ThenRefuses()
    {
        var slots = new HandlerSlots(2);

        Assert.True(slots.TryTake());
        Assert.True(slots.TryTake());
        Assert.False(slots.TryTake());
        Assert.Equal(2, slots.Taken);
        Assert.False(slots.AnyFree);
    }

    [Fact]
    public void Release_FreesOneSlotForTheNextTake()
    {
        var slots = new HandlerSlots(1);
        Assert.True(slots.TryTake());

        slots.Release();

        Assert.True(slots.AnyFree);
        Assert.True(slots.TryTake());
        Assert.Equal(1, slots.Taken);
    }

    [Fact]
    public async Task ConcurrentTakers_NeverHoldMoreThanConcurrency()
    {
        const int Concurrency = 3;
        var slots = new HandlerSlots(Concurrency);
        var holding = 0;
        var peak = 0;
        var takes = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                if (!slots.TryTake())
                {
                    continue;
                }

                var now = Interlocked.Increment(ref holding);
                int seen;
                while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
                {
                }

                Interlocked.Increment(ref takes);
                Interlocked.Decrement(ref holding);
                slots.Release();
            }
        }, TestContext.Current.CancellationToken)));

        Assert.True(peak <= Concurrency, $"{peak} slots were held at once with concurrency {Concurrency}");
        Assert.True(takes > 0, "no taker ever got a slot");
        Assert.Equal(0, slots.Taken);
    }
}
