namespace VideoGen.Core.Pipeline;

/// <summary>The tail of provider logs kept on the Video row: last N lines, at most M characters.</summary>
public static class LogsExcerpt
{
    public static string? From(IReadOnlyList<string>? logs, int maxLines, int maxChars)
    {
        if (logs is null || logs.Count == 0 || maxLines == 0 || maxChars == 0)
        {
            return null;
        }
        var lines = logs.Skip(Math.Max(0, logs.Count - maxLines)).Select(l => l.Replace('\n', ' ').TrimEnd());
        var text = string.Join('\n', lines);
        if (text.Length <= maxChars)
        {
            return text;
        }
        var cut = text[^maxChars..];
        var newline = cut.IndexOf('\n', StringComparison.Ordinal);
        return newline >= 0 && newline < cut.Length - 1 ? cut[(newline + 1)..] : cut;
    }
}
