using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace VideoGen.Server.Tests.Docs;

/// <summary>One configuration key an options class binds: <c>{section}:{property path}</c>, with the property's default.</summary>
internal sealed record OptionsKey(string Key, Type OptionsType, string PropertyPath, Type PropertyType, object? Default)
{
    /// <summary>Where the key comes from, for messages: <c>QueueOptions.MaxAttempts</c>.</summary>
    public string Owner => $"{OptionsType.Name}.{PropertyPath.Replace(':', '.')}";

    /// <summary>
    /// The keys the configuration binder sets on <paramref name="type"/> bound at <paramref name="section"/>:
    /// public properties with a public setter whose value is converted from one string (numbers,
    /// durations, URLs, strings, collections as a whole), and the properties of nested objects.
    /// </summary>
    /// <remarks>
    /// An options class that is a dictionary of objects (<c>VideoGen:Tiers</c>) makes keys with a <c>&lt;name&gt;</c>
    /// placeholder for the entry name: <c>VideoGen:Tiers:&lt;name&gt;:Priority</c>, with the entry type's defaults.
    /// </remarks>
    public static IEnumerable<OptionsKey> Bindable(string section, Type type) => EntryTypeOf(type) is { } entry
        ? Bindable($"{section}:{EntryPlaceholder}", entry)
        : Walk(section, type, type, "", NewInstance(type))
            .Where(p => p.Settable && p.Leaf)
            .Select(p => p.Key);

    /// <summary>How the docs write the name of a dictionary entry in a key.</summary>
    public const string EntryPlaceholder = "<name>";

    /// <summary>The value type of a string-keyed dictionary of objects; null for anything else.</summary>
    private static Type? EntryTypeOf(Type type) => type.GetInterfaces().Append(type)
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
        .Select(i => i.GetGenericArguments()[1])
        .FirstOrDefault(v => !IsLeaf(v));

    /// <summary>
    /// Every key the binder looks up while binding <paramref name="type"/> at <paramref name="section"/>,
    /// including the section itself and properties it reads but cannot set (computed ones such as
    /// <c>HasKey</c>): reads of these keys are binding, not a direct use of the key.
    /// </summary>
    public static IEnumerable<string> LookedUpByBinder(string section, Type type) => EntryTypeOf(type) is { } entry
        ? LookedUpByBinder($"{section}:{EntryPlaceholder}", entry).Prepend(section)
        : Walk(section, type, type, "", NewInstance(type)).Select(p => p.Key.Key).Prepend(section);

    /// <summary>Whether the binder converts this type from one configuration value rather than binding its properties.</summary>
    public static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri)
            || typeof(IEnumerable).IsAssignableFrom(t) || TypeDescriptor.GetConverter(t).CanConvertFrom(typeof(string));
    }

    private static IEnumerable<(OptionsKey Key, bool Settable, bool Leaf)> Walk(string section, Type optionsType, Type type, string prefix, object? instance)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }
            var path = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            var settable = property.SetMethod is { IsPublic: true };
            var leaf = IsLeaf(property.PropertyType);
            yield return (new OptionsKey($"{section}:{path}", optionsType, path, property.PropertyType, value), settable, leaf);
            if (!leaf)
            {
                // The binder fills a nested object in place, or creates it when the property is settable.
                foreach (var nested in Walk(section, optionsType, property.PropertyType, path, value ?? NewInstance(property.PropertyType)))
                {
                    yield return nested with { Settable = nested.Settable && (settable || value is not null) };
                }
            }
        }
    }

    private static object? NewInstance(Type type) =>
        type.IsAbstract || type.IsInterface || type.GetConstructor(Type.EmptyTypes) is null ? null : Activator.CreateInstance(type);
}
