using System.Diagnostics;

namespace VideoGen.Server.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline and says what it waited for when it gives up.</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        var ct = TestContext.Current.CancellationToken;
        T last = await probe();
        while (!done(last))
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {Describe(last)}");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), ct);
            last = await probe();
        }
        return last;
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Text.Json.JsonElement e => e.GetRawText(),
        _ => value.ToString() ?? "",
    };
}
