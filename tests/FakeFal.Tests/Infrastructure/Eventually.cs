namespace FakeFal.Tests.Infrastructure;

/// <summary>Waits on a condition with a bound and a message saying what was awaited.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}.");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
        => TrueAsync(() => Task.FromResult(condition()), timeout, what);
}
