using System.Diagnostics;

namespace VideoGen.Queue.Tests.Support;

/// <summary>Waits for a condition with a timeout and a message saying what was awaited; never a blind sleep.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task TrueAsync(Func<Task<bool>> condition, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {waitingFor}");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string waitingFor, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), waitingFor, timeout);

    /// <summary>Awaits <paramref name="task"/> or fails with <paramref name="waitingFor"/>.</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> task, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var winner = await Task.WhenAny(task, Task.Delay(limit, CancellationToken.None));
        if (winner != task)
        {
            Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {waitingFor}");
        }

        return await task;
    }

    public static async Task CompletesAsync(Task task, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var winner = await Task.WhenAny(task, Task.Delay(limit, CancellationToken.None));
        if (winner != task)
        {
            Assert.Fail($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {waitingFor}");
        }

        await task;
    }
}
