using System.Diagnostics;
using System.Text.Json;

namespace VideoGen.Testing;

/// <summary>
/// Waits on a condition with a timeout and fails with a message saying what it waited for: the one
/// way tests here wait, never a blind sleep. Polls soon after the start (5 ms) and backs off to
/// 100 ms, so fast conditions end fast and slow ones do not flood what they probe.
/// </summary>
public static class Eventually
{
    /// <summary>The timeout when a call gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan FirstInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var interval = FirstInterval;
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail(TimedOut(limit, waitingFor));
            }

            await Task.Delay(interval, TestContext.Current.CancellationToken);
            interval = Next(interval);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string waitingFor, TimeSpan? timeout = null) =>
        TrueAsync(() => Task.FromResult(condition()), waitingFor, timeout);

    /// <summary>The same wait with the timeout first, as FakeFal's and Core's tests call it.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string waitingFor) =>
        TrueAsync(condition, waitingFor, timeout);

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string waitingFor) =>
        TrueAsync(() => Task.FromResult(condition()), waitingFor, timeout);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the probed value and returns that value; on
    /// timeout the failure shows the last value and, when given, <paramref name="diagnostics"/>
    /// (for example the log tail of the process under test).
    /// </summary>
    public static async Task<T> WaitForAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        string waitingFor,
        TimeSpan? interval = null,
        Func<string>? diagnostics = null)
    {
        var clock = Stopwatch.StartNew();
        var pause = interval ?? FirstInterval;
        var last = await probe();
        while (!done(last))
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{TimedOut(timeout, waitingFor)}; last value: {Describe(last)}{(diagnostics is null ? "" : "\n" + diagnostics())}");
            }

            await Task.Delay(pause, TestContext.Current.CancellationToken);
            pause = interval ?? Next(pause);
            last = await probe();
        }

        return last;
    }

    /// <summary>Awaits <paramref name="task"/> or fails saying what it waited for.</summary>
    public static async Task<T> CompletesAsync<T>(Task<T> task, string waitingFor, TimeSpan? timeout = null)
    {
        await CompletesAsync((Task)task, waitingFor, timeout);
        return await task;
    }

    public static async Task CompletesAsync(Task task, string waitingFor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        try
        {
            await task.WaitAsync(limit, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Assert.Fail(TimedOut(limit, waitingFor));
        }
    }

    private static TimeSpan Next(TimeSpan interval) => interval * 2 < MaxInterval ? interval * 2 : MaxInterval;

    private static string TimedOut(TimeSpan limit, string waitingFor) =>
        $"Timed out after {limit.TotalSeconds:0.#} s waiting for {waitingFor}";

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        JsonElement e => e.GetRawText(),
        _ => value.ToString() ?? "",
    };
}
