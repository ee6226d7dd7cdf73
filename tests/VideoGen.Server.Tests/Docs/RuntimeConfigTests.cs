using System.Text.Json.Nodes;
using VideoGen.Server.Hosting;
using VideoGen.Server.Tests.EndToEnd;

namespace VideoGen.Server.Tests.Docs;

/// <summary>
/// The built <c>videogen.runtimeconfig.json</c> carries the runtime settings docs/deployment.md says
/// <c>videogen</c> ships with. MSBuild ignores a misspelled property silently (server GC once shipped
/// under a <c>ServerGarbageCollector</c> typo), so the built file is what is checked, not the project.
/// </summary>
public sealed class RuntimeConfigTests
{
    /// <summary>Next to the videogen.dll this test project references, and in the server's own build output (what the process tests launch).</summary>
    public static TheoryData<string> BuiltRuntimeConfigs() =>
    [
        Path.ChangeExtension(typeof(VideoGenHost).Assembly.Location, ".runtimeconfig.json"),
        Path.ChangeExtension(RepoPaths.VideoGenDll, ".runtimeconfig.json"),
    ];

    [Theory]
    [MemberData(nameof(BuiltRuntimeConfigs))]
    public void BuiltRuntimeConfig_ShipsWorkstationGc(string path) =>
        AssertProperty(path, "System.GC.Server", false, "workstation GC");

    [Theory]
    [MemberData(nameof(BuiltRuntimeConfigs))]
    public void BuiltRuntimeConfig_ShipsWithoutTieredCompilation(string path) =>
        AssertProperty(path, "System.Runtime.TieredCompilation", false, "no tiered compilation");

    [Theory]
    [MemberData(nameof(BuiltRuntimeConfigs))]
    public void BuiltRuntimeConfig_ShipsThreadPoolThreadsThatDoNotSpin(string path) =>
        AssertProperty(path, "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0, "idle thread-pool threads that do not spin");

    private static void AssertProperty(string path, string name, object expected, string claim)
    {
        var actual = Property(path, name);
        Assert.True(Equals(expected, actual), $"{path} sets {name} to {actual}, but docs/deployment.md says videogen ships with {claim} ({name} = {expected}).");
    }

    /// <summary>A <c>configProperties</c> value as bool or int; fails naming the file when it or the value is missing.</summary>
    private static object Property(string path, string name)
    {
        Assert.True(File.Exists(path), $"{path} is not built; build the solution first.");
        var value = JsonNode.Parse(File.ReadAllText(path))?["runtimeOptions"]?["configProperties"]?[name];
        Assert.True(value is not null, $"{path} does not set {name}; videogen would run with the runtime's default.");
        return value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.True => true,
            System.Text.Json.JsonValueKind.False => false,
            _ => value.GetValue<int>(),
        };
    }
}
