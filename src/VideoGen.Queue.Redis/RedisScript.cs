using System.Reflection;
using System.Text.RegularExpressions;

namespace VideoGen.Queue.Redis;

/// <summary>
/// One atomic operation: an embedded <c>Scripts/verb-N.lua</c> file (N = number of KEYS) with the
/// shared prelude in front. The key names it binds are read from its <c>bindKeys({...})</c> line, so
/// the C# side always passes exactly the keys the script declares, in its order.
/// </summary>
internal sealed partial class RedisScript
{
    private RedisScript(string name, string text, IReadOnlyList<string> keyNames)
    {
        Name = name;
        Text = text;
        KeyNames = keyNames;
    }

    /// <summary>File name without extension, e.g. <c>claim-10</c>.</summary>
    public string Name { get; }

    /// <summary>Prelude + body, as loaded into Redis.</summary>
    public string Text { get; }

    public IReadOnlyList<string> KeyNames { get; }

    public static RedisScript Enqueue { get; } = Load("enqueue-7");
    public static RedisScript Claim { get; } = Load("claim-10");
    public static RedisScript Complete { get; } = Load("complete-7");
    public static RedisScript CompleteAndClaim { get; } = Load("complete-and-claim-11");
    public static RedisScript Fail { get; } = Load("fail-11");
    public static RedisScript Release { get; } = Load("release-10");
    public static RedisScript MarkCanceled { get; } = Load("mark-canceled-7");
    public static RedisScript ExtendLeases { get; } = Load("extend-leases-2");
    public static RedisScript Recover { get; } = Load("recover-10");
    public static RedisScript Progress { get; } = Load("progress-3");
    public static RedisScript Cancel { get; } = Load("cancel-6");
    public static RedisScript Retry { get; } = Load("retry-9");
    public static RedisScript Remove { get; } = Load("remove-8");
    public static RedisScript Trim { get; } = Load("trim-7");
    public static RedisScript Promote { get; } = Load("promote-6");

    /// <summary>Every operation script; loading them all at once is how a missing file is caught early.</summary>
    public static IReadOnlyList<RedisScript> All { get; } =
    [
        Enqueue, Claim, Complete, CompleteAndClaim, Fail, Release, MarkCanceled, ExtendLeases, Recover,
        Progress, Cancel, Retry, Remove, Trim, Promote,
    ];

    /// <summary>Names of the embedded operation files (everything in Scripts/ except the prelude).</summary>
    public static IReadOnlyList<string> EmbeddedNames() =>
        typeof(RedisScript).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(".lua", StringComparison.Ordinal))
            .Select(r => r[ResourcePrefix.Length..^".lua".Length])
            .Where(n => !n.StartsWith('_'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private const string ResourcePrefix = "VideoGen.Queue.Redis.Scripts.";

    private static RedisScript Load(string name)
    {
        var body = ReadResource(name);
        var match = BindKeysLine().Match(body);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Script {name}.lua has no bindKeys({{...}}) line.");
        }

        var keyNames = QuotedName().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        var declared = int.Parse(name[(name.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (declared != keyNames.Count)
        {
            throw new InvalidOperationException($"Script {name}.lua binds {keyNames.Count} keys but its name says {declared}.");
        }

        return new RedisScript(name, ReadResource("_prelude") + "\n" + body, keyNames);
    }

    private static string ReadResource(string name)
    {
        using var stream = typeof(RedisScript).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".lua")
            ?? throw new InvalidOperationException($"Embedded script Scripts/{name}.lua is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^bindKeys\(\{([^}]*)\}\)", RegexOptions.Multiline)]
    private static partial Regex BindKeysLine();

    [GeneratedRegex("'([a-z]+)'")]
    private static partial Regex QuotedName();
}
