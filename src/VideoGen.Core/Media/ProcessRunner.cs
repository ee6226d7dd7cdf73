using System.Diagnostics;
using System.Text;

namespace VideoGen.Core.Media;

/// <summary>What a finished external process left behind (stdout in full up to a bound, stderr's tail).</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardErrorTail);

/// <summary>
/// The one place VideoGen starts external tools (ffmpeg, ffprobe). Arguments always go through
/// <see cref="ProcessStartInfo.ArgumentList"/> — never a shell string — so user text cannot become
/// a flag or a command. Every run has a timeout, and cancellation kills the whole process tree.
/// Children start with a clean environment (<see cref="ChildEnvironment"/>): the server's own
/// variables (the fal key, connection strings) never reach a tool that reads untrusted media.
/// </summary>
public sealed class ProcessRunner
{
    private const int MaxStdoutChars = 1 << 20;
    private const int StderrTailChars = 8 * 1024;

    // Hundreds of jobs reaching ingest together must not start hundreds of ffmpeg processes on a
    // small machine: they would all time out together. Extra callers wait their turn.
    private readonly SemaphoreSlim _slots;

    /// <param name="maxConcurrentProcesses">Processes at once. <value>The default value is 2 × the processor count.</value></param>
    public ProcessRunner(int? maxConcurrentProcesses = null)
    {
        var max = Math.Max(1, maxConcurrentProcesses ?? Environment.ProcessorCount * 2);
        _slots = new SemaphoreSlim(max, max);
    }

    /// <summary>
    /// Runs <paramref name="fileName"/> to the end. Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> and <see cref="OperationCanceledException"/> on <paramref name="ct"/>;
    /// in both cases the process is killed before this returns.
    /// </summary>
    public async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken ct,
        Action<string>? onStdoutLine = null,
        Action<string>? onStderrLine = null,
        string? workingDirectory = null)
    {
        var waitStarted = Stopwatch.GetTimestamp();
        await _slots.WaitAsync(ct);
        IngestMetrics.RecordSlotWait(Path.GetFileName(fileName), waitStarted);
        try
        {
            return await RunOneAsync(fileName, arguments, timeout, ct, onStdoutLine, onStderrLine, workingDirectory);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Takes one process slot until the returned lease is disposed, for a caller that decides
    /// what to run only once a slot is free (the poster batcher: posters that queued up while it
    /// waited all go into that one run). Runs under the lease use <see cref="RunInSlotAsync"/>.
    /// </summary>
    internal async Task<IDisposable> EnterSlotAsync(string tool, CancellationToken ct)
    {
        var waitStarted = Stopwatch.GetTimestamp();
        await _slots.WaitAsync(ct);
        IngestMetrics.RecordSlotWait(tool, waitStarted);
        return new SlotLease(_slots);
    }

    /// <summary><see cref="RunAsync"/> for a caller that already holds a slot from <see cref="EnterSlotAsync"/>.</summary>
    internal static Task<ProcessResult> RunInSlotAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken ct) =>
        RunOneAsync(fileName, arguments, timeout, ct, null, null, null);

    private sealed class SlotLease(SemaphoreSlim slots) : IDisposable
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

    private static async Task<ProcessResult> RunOneAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken ct,
        Action<string>? onStdoutLine,
        Action<string>? onStderrLine,
        string? workingDirectory)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        ChildEnvironment.Apply(psi.Environment);

        using var process = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (stdout)
            {
                if (stdout.Length < MaxStdoutChars)
                {
                    stdout.Append(e.Data).Append('\n');
                }
            }
            onStdoutLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (stderr)
            {
                stderr.Append(e.Data).Append('\n');
                if (stderr.Length > StderrTailChars * 2)
                {
                    stderr.Remove(0, stderr.Length - StderrTailChars);
                }
            }
            onStderrLine?.Invoke(e.Data);
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new FileNotFoundException($"Could not start '{fileName}': {ex.Message}. Is it installed and on PATH?", fileName, ex);
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutCts = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeoutCts.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{Path.GetFileName(fileName)}' did not finish within {timeout}.");
        }

        // WaitForExitAsync has also waited for the redirected streams to reach their end, so the
        // buffers are complete; no blocking WaitForExit() that would hold a thread-pool thread.
        string err;
        lock (stderr)
        {
            err = stderr.Length > StderrTailChars ? stderr.ToString(stderr.Length - StderrTailChars, StderrTailChars) : stderr.ToString();
        }
        string output;
        lock (stdout)
        {
            output = stdout.ToString();
        }
        return new ProcessResult(process.ExitCode, output, err);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
