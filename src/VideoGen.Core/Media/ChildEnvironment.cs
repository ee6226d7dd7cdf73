namespace VideoGen.Core.Media;

/// <summary>
/// The whole environment an external tool (ffmpeg, ffprobe) is started with. Nothing is inherited
/// by default: the server's environment holds the fal key, connection strings and whatever the
/// operator exported, and a tool that parses untrusted media must not be able to read them (nor
/// leak them into an error message). Only what the tools need to run is passed on.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>Variables copied from the server when set: how to find programs and fonts, where temp files go. Nothing secret.</summary>
    public static IReadOnlyList<string> PassedThrough { get; } = ["PATH", "TMPDIR", "FONTCONFIG_FILE", "FONTCONFIG_PATH"];

    /// <summary>Clears <paramref name="environment"/> and fills it with the pass-through variables and a fixed UTF-8 locale.</summary>
    public static void Apply(IDictionary<string, string?> environment)
    {
        environment.Clear();
        foreach (var name in PassedThrough)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }
        environment.TryAdd("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment["LANG"] = "C.UTF-8";
    }
}
