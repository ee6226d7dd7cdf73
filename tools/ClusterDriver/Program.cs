using ClusterDriver;

DriverOptions options;
try
{
    options = DriverOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine("ClusterDriver: " + e.Message);
    return 2;
}

// A bound on the whole run, so a wedged cluster ends the script instead of hanging it.
using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(25));
var ledger = await new ClusterRun(options).RunAsync(deadline.Token);
Console.WriteLine(ledger.Render());
if (options.LedgerPath is { } path)
{
    await ledger.SaveAsync(path, CancellationToken.None);
}
return ledger.AllMustBeZeroAreZero ? 0 : 1;
