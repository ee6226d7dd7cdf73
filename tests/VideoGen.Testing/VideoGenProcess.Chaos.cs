namespace VideoGen.Testing;

public sealed partial class VideoGenProcess
{
    /// <summary>
    /// <c>videogen serve</c> on a URL chosen by the caller, with <paramref name="settings"/> as the whole
    /// configuration (no defaults added): a chaos run restarts its API process on the same address, so
    /// webhook URLs handed to fal before the kill still reach it.
    /// </summary>
    public static Task<VideoGenProcess> ServeOnAsync(Uri url, string dataDir, IEnumerable<string> settings) =>
        StartServeAsync(url, dataDir, settings, ownDir: null);

    /// <summary><c>videogen worker</c> with <paramref name="settings"/> as the whole configuration (no defaults added).</summary>
    public static Task<VideoGenProcess> WorkerWithAsync(string dataDir, IEnumerable<string> settings) =>
        StartWorkerAsync(dataDir, settings);
}
