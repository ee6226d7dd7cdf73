using System.Diagnostics;

namespace ClusterDriver;

/// <summary>Runs scripts/cluster/fault.sh (the script owns the namespaces and pids) and notes what it did.</summary>
public sealed class Faults(DriverOptions options, RunClock clock)
{
    public async Task RunAsync(string action, string? host, CancellationToken ct)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { options.FaultCommand, options.State, action, host ?? "" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"fault {action} {host} failed ({process.ExitCode}): {await output}{await error}");
        }
        clock.Note((await output).Trim());
    }
}
