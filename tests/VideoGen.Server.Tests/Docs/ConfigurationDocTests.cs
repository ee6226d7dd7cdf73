using System.ComponentModel;
using System.Globalization;

namespace VideoGen.Server.Tests.Docs;

/// <summary>
/// <c>docs/configuration.md</c> and the code cannot drift: every key an options class binds has a
/// row, every <c>VideoGen:</c> / <c>ConnectionStrings:</c> row is bound or read by <c>videogen</c>,
/// and a default written as a value equals the property's default. Keys outside those prefixes
/// (<c>urls</c>, <c>FAL_KEY</c>, logging) belong to ASP.NET Core or the environment and are not checked.
/// </summary>
public sealed class ConfigurationDocTests
{
    private static readonly string[] OurPrefixes = ["VideoGen:", "ConnectionStrings:"];

    [Fact]
    public void ConfigurationDoc_ListsEachKeyOnce()
    {
        var repeated = ConfigurationDoc.Read().GroupBy(r => r.Key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"`{g.Key}` has rows on lines {string.Join(", ", g.Select(r => r.Line))}").ToList();

        Assert.True(repeated.Count == 0, $"{ConfigurationDoc.RelativePath}: one row per key.\n{string.Join('\n', repeated)}");
    }

    [Fact]
    public async Task EveryOptionsProperty_HasARowInTheConfigurationDoc()
    {
        var documented = ConfigurationDoc.Read().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var config = await VideoGenConfiguration.Get();

        var missing = config.OptionsKeys.Where(k => !documented.Contains(k.Key)).DistinctBy(k => k.Key)
            .Select(k => $"`{k.Key}` ({k.Owner}, default {Format(k.Default)})").ToList();

        Assert.True(missing.Count == 0,
            $"{ConfigurationDoc.RelativePath} has no row for these bindable keys; add a row with the default:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public async Task EveryKeyVideogenReadsDirectly_HasARowInTheConfigurationDoc()
    {
        var documented = ConfigurationDoc.Read().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var config = await VideoGenConfiguration.Get();

        var missing = config.DirectReads.Where(k => !documented.Contains(k)).Select(k => $"`{k}`").ToList();

        Assert.True(missing.Count == 0,
            $"videogen reads these keys directly but {ConfigurationDoc.RelativePath} has no row for them:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public async Task EveryDocumentedKey_IsBoundByAnOptionsPropertyOrReadByVideogen()
    {
        var config = await VideoGenConfiguration.Get();
        var known = config.OptionsKeys.Select(k => k.Key).Concat(config.DirectReads).ToHashSet(StringComparer.Ordinal);

        var unknown = ConfigurationDoc.Read()
            .Where(r => OurPrefixes.Any(p => r.Key.StartsWith(p, StringComparison.Ordinal)) && !known.Contains(r.Key))
            .Select(r => $"`{r.Key}` (line {r.Line})").ToList();

        Assert.True(unknown.Count == 0,
            $"{ConfigurationDoc.RelativePath} documents keys no options property binds and videogen never reads (renamed or removed?):\n{string.Join('\n', unknown)}");
    }

    [Fact]
    public async Task DocumentedDefaults_EqualTheOptionsDefaults()
    {
        var config = await VideoGenConfiguration.Get();
        var owners = config.OptionsKeys.ToLookup(k => k.Key, StringComparer.Ordinal);
        var wrong = new List<string>();

        foreach (var row in ConfigurationDoc.Read().Where(r => owners.Contains(r.Key)))
        {
            var bound = owners[row.Key].ToList();
            if (row.LiteralDefault is { } literal && !bound.Any(k => Matches(literal, k)))
            {
                wrong.Add($"`{row.Key}` (line {row.Line}) is documented as `{literal}`, but {Defaults(bound)}");
            }
            else if (row.NoDefault && !bound.Any(k => k.Default is null or "" or Array { Length: 0 }))
            {
                wrong.Add($"`{row.Key}` (line {row.Line}) is documented without a default, but {Defaults(bound)}");
            }
        }

        Assert.True(wrong.Count == 0, $"{ConfigurationDoc.RelativePath}: defaults that differ from the code:\n{string.Join('\n', wrong)}");
    }

    [Fact]
    public async Task SectionsBoundOutsideTheOptionsSystem_AreStillReadThere()
    {
        var config = await VideoGenConfiguration.Get();

        Assert.True(config.StaleOutsideBindings.Count == 0,
            $"Update VideoGenConfiguration.BoundOutsideOptions:\n{string.Join('\n', config.StaleOutsideBindings)}");
    }

    private static bool Matches(string literal, OptionsKey key)
    {
        var type = Nullable.GetUnderlyingType(key.PropertyType) ?? key.PropertyType;
        var converter = TypeDescriptor.GetConverter(type);
        if (!converter.CanConvertFrom(typeof(string)))
        {
            return false;
        }
        try
        {
            return Equals(converter.ConvertFromInvariantString(literal), key.Default);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static string Defaults(IEnumerable<OptionsKey> keys) =>
        string.Join(" and ", keys.Select(k => $"{k.Owner} defaults to {Format(k.Default)}"));

    private static string Format(object? value) => value switch
    {
        null => "null",
        TimeSpan t => $"`{t.ToString("c", CultureInfo.InvariantCulture)}`",
        bool b => b ? "`true`" : "`false`",
        _ => $"`{Convert.ToString(value, CultureInfo.InvariantCulture)}`",
    };
}
