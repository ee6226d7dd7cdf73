namespace VideoGen.Testing;

/// <summary>
/// Where the repository and the built programs under test are, found from the test's bin folder by
/// walking up to the folder holding <c>VideoGen.slnx</c>. Programs run from their own build output
/// (as they ship), in the configuration the tests were built in.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> FoundRoot = new(FindRoot);

    /// <summary>The repository root; a test run outside a checkout fails here with a message saying so.</summary>
    public static string Root => FoundRoot.Value;

    /// <summary><c>Debug</c> or <c>Release</c>: the configuration of the running tests.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Release{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary><c>src/VideoGen.Server/bin/&lt;configuration&gt;/net10.0/videogen.dll</c>.</summary>
    public static string VideoGenDll => Output("src/VideoGen.Server", "videogen.dll");

    /// <summary><c>tools/FakeFal/bin/&lt;configuration&gt;/net10.0/FakeFal.dll</c>.</summary>
    public static string FakeFalDll => Output("tools/FakeFal", "FakeFal.dll");

    /// <summary>A file in the build output of the project in <paramref name="projectDir"/> (relative to the root, '/'-separated).</summary>
    public static string Output(string projectDir, string fileName) =>
        System.IO.Path.Combine([Root, .. projectDir.Split('/'), "bin", Configuration, "net10.0", fileName]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "VideoGen.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"The repository root (the folder holding VideoGen.slnx) is not above {AppContext.BaseDirectory}. "
            + "Run the tests from a checkout of the repository (scripts/test.sh or dotnet test there).");
    }
}
