using Microsoft.Extensions.Configuration;

namespace VideoGen.Server.Tests.Docs;

/// <summary>
/// An in-memory configuration source that remembers what the product asks of it: every key read
/// (<c>configuration["A:B"]</c>, and each property the binder looks up) and every section whose
/// children were listed (the binder does that first for each object it binds), in order. That is
/// how the configuration-doc test learns which keys and sections <c>videogen</c> really uses.
/// </summary>
internal sealed class RecordingConfigurationSource(IReadOnlyDictionary<string, string?> values) : IConfigurationSource
{
    public RecordingConfigurationProvider Provider { get; } = new(values);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

/// <inheritdoc cref="RecordingConfigurationSource"/>
internal sealed class RecordingConfigurationProvider : ConfigurationProvider
{
    private readonly Lock _gate = new();
    private readonly List<string> _reads = [];
    private readonly List<string> _listedSections = [];

    public RecordingConfigurationProvider(IReadOnlyDictionary<string, string?> values)
    {
        foreach (var (key, value) in values)
        {
            Data[key] = value;
        }
    }

    /// <summary>Every key read so far, in order (with repeats).</summary>
    public IReadOnlyList<string> Reads
    {
        get
        {
            lock (_gate)
            {
                return [.. _reads];
            }
        }
    }

    /// <summary>How many sections have been listed so far: a mark for <see cref="SectionsListedSince"/>.</summary>
    public int ListedSectionCount
    {
        get
        {
            lock (_gate)
            {
                return _listedSections.Count;
            }
        }
    }

    /// <summary>The sections whose children were listed after <paramref name="mark"/>, in order.</summary>
    public IReadOnlyList<string> SectionsListedSince(int mark)
    {
        lock (_gate)
        {
            return [.. _listedSections.Skip(mark)];
        }
    }

    public override bool TryGet(string key, out string? value)
    {
        lock (_gate)
        {
            _reads.Add(key);
        }
        return base.TryGet(key, out value);
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
    {
        if (parentPath is not null)
        {
            lock (_gate)
            {
                _listedSections.Add(parentPath);
            }
        }
        return base.GetChildKeys(earlierKeys, parentPath);
    }
}
