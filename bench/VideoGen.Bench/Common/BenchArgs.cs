using System.Globalization;

namespace VideoGen.Bench.Common;

/// <summary>
/// The <c>--name value</c> pairs of a benchmark command line. Unknown names are an error, so a
/// typo never silently measures something else.
/// </summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
            {
                throw new ArgumentException($"expected '--name value', got '{name}'");
            }

            _values[name[2..]] = e.Current;
        }
    }

    public string String(string name, string fallback)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v : fallback;
    }

    public int Int(string name, int fallback, int min = 1)
    {
        var value = _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        _used.Add(name);
        return value >= min ? value : throw new ArgumentException($"--{name} must be at least {min}");
    }

    public double Double(string name, double fallback)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Throws when an argument was given that no one asked for.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown argument(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
        }
    }
}
