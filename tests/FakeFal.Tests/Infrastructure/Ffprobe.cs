using System.Diagnostics;

namespace FakeFal.Tests.Infrastructure;

/// <summary>Runs the real ffprobe (a required service: missing means the test fails).</summary>
public static class Ffprobe
{
    /// <summary>Returns "codec,width,height" of the first video stream.</summary>
    public static async Task<string> StreamAsync(string input)
    {
        var psi = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", input })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, $"ffprobe failed on {input}: {await p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
        return output.Trim();
    }
}
