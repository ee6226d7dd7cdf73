using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace FakeFal.Options;

/// <summary>
/// The options in force. Starts from configuration; <c>POST /_fake/config</c> deep-merges a JSON
/// patch onto it and <c>POST /_fake/reset</c> returns to the configured values. Readers take
/// <see cref="Current"/> once per decision, so a swap never tears a request's view.
/// </summary>
public sealed class RuntimeSettings(IOptions<FakeFalOptions> configured)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
    };

    private readonly Lock _gate = new();
    private FakeFalOptions _current = Clone(configured.Value);

    public FakeFalOptions Current => Volatile.Read(ref _current);

    /// <summary>Applies a partial JSON object (property names case-insensitive) and returns the result.</summary>
    public FakeFalOptions Apply(JsonObject patch)
    {
        lock (_gate)
        {
            var node = JsonSerializer.SerializeToNode(_current, Json)!.AsObject();
            Merge(node, patch);
            var next = node.Deserialize<FakeFalOptions>(Json)
                ?? throw new JsonException("The configuration patch produced no options.");
            Validator.ValidateObject(next.Queue, new ValidationContext(next.Queue), validateAllProperties: true);
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            Volatile.Write(ref _current, Clone(configured.Value));
        }
    }

    /// <summary>The options as JSON for <c>GET /_fake/config</c>; a configured private key seed is masked.</summary>
    public static JsonNode? ToJson(FakeFalOptions options)
    {
        var node = JsonSerializer.SerializeToNode(options, Json);
        if (node?["webhooks"] is JsonObject hooks && hooks["privateKeySeed"] is not null)
        {
            hooks["privateKeySeed"] = "***";
        }

        return node;
    }

    private static FakeFalOptions Clone(FakeFalOptions o)
        => JsonSerializer.Deserialize<FakeFalOptions>(JsonSerializer.Serialize(o, Json), Json)!;

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            var existingKey = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;
            if (value is JsonObject patchObj && target[existingKey] is JsonObject targetObj)
            {
                Merge(targetObj, patchObj);
            }
            else
            {
                target[existingKey] = value?.DeepClone();
            }
        }
    }
}
