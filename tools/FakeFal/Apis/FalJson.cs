using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeFal.Apis;

/// <summary>JSON text as fal writes it: no HTML-safe escaping of <c>+</c>, <c>&amp;</c> and the like.</summary>
public static class FalJson
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(this JsonNode node) => node.ToJsonString(Options);
}
