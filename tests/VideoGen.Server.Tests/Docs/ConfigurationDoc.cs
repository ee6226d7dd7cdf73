using System.Text.RegularExpressions;
using VideoGen.Server.Tests.EndToEnd;

namespace VideoGen.Server.Tests.Docs;

/// <summary>One row of a table in <c>docs/configuration.md</c>: the key (first column, in backticks) and its default cell.</summary>
internal sealed record DocumentedKey(string Key, string Default, int Line)
{
    /// <summary>The default when the cell is one value in backticks (<c>`00:00:30`</c>); null when it is prose or —.</summary>
    public string? LiteralDefault => ConfigurationDoc.SingleCodeSpan().Match(Default) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Whether the cell says there is no default.</summary>
    public bool NoDefault => Default is "—" or "-" or "–";
}

/// <summary>Reads the configuration tables of <c>docs/configuration.md</c>: every row whose first cell is one key in backticks.</summary>
internal static partial class ConfigurationDoc
{
    public static string RelativePath { get; } = Path.Combine("docs", "configuration.md");

    public static IReadOnlyList<DocumentedKey> Read()
    {
        var rows = new List<DocumentedKey>();
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, RelativePath));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|'))
            {
                continue;
            }
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length >= 2 && SingleCodeSpan().Match(cells[0]) is { Success: true } key)
            {
                rows.Add(new DocumentedKey(key.Groups[1].Value, cells[1], i + 1));
            }
        }
        return rows;
    }

    [GeneratedRegex("^`([^`]+)`$")]
    internal static partial Regex SingleCodeSpan();
}
