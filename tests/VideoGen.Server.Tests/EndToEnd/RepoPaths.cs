namespace VideoGen.Server.Tests.EndToEnd;

/// <summary>Where the built programs under test live: found from the test's bin folder by walking up to the repo root.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>src/VideoGen.Server/bin/Debug/net10.0/videogen.dll</c> (built with the test project, which references it).</summary>
    public static string VideoGenDll => Path.Combine(Root, "src", "VideoGen.Server", "bin", Configuration, "net10.0", "videogen.dll");

    /// <summary><c>tools/FakeFal/bin/Debug/net10.0/FakeFal.dll</c> (built with the solution).</summary>
    public static string FakeFalDll => Path.Combine(Root, "tools", "FakeFal", "bin", Configuration, "net10.0", "FakeFal.dll");

    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VideoGen.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No VideoGen.slnx above {AppContext.BaseDirectory}.");
    }
}
